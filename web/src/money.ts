// Prices: the API stores integer minor units with an ISO 4217 currency; people type and read major units in their
// language's format ("1,299.50" or "1.299,50"), shown with the currency.
import { marked } from './i18n'
import { intlLocale } from './i18n/locale'

/** The currency a tenant sells in when its settings name none. */
export const DEFAULT_CURRENCY = 'MXN'

/** The tenant's currency from its settings (`settings.currency`, an ISO 4217 code), MXN when unset. */
export function tenantCurrency(settings: Record<string, unknown> | undefined): string {
  const value = settings?.currency
  return typeof value === 'string' && /^[A-Za-z]{3}$/.test(value) ? value.toUpperCase() : DEFAULT_CURRENCY
}

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.'
}

/** Splits "1.299,50" into integer digits and fraction digits, or null when the grouping is not consistent. */
function splitAmount(text: string, digits: number, locale: string): { integer: string; fraction: string } | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '')
  if (!/^\d[\d.,]*$/.test(compact) || /[.,]$/.test(compact)) return null
  const separators = [...new Set(compact.replace(/\d/g, ''))]
  const lastSep = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','))
  if (separators.length === 0) return { integer: compact, fraction: '' }
  let decimal: string | null
  if (separators.length === 2) decimal = compact[lastSep] ?? null
  else {
    const sep = separators[0] ?? '.'
    const count = compact.split(sep).length - 1
    const tail = compact.length - lastSep - 1
    const isLocaleDecimal = sep === decimalSeparator(locale)
    if (count > 1) decimal = null
    else if (tail !== 3) decimal = sep
    else if (!isLocaleDecimal || digits === 0) decimal = null
    else if (digits === 3) decimal = sep
    else return null
  }
  const [integerPart, fraction = ''] = decimal ? [compact.slice(0, lastSep), compact.slice(lastSep + 1)] : [compact, '']
  if (decimal && fraction.includes(decimal === '.' ? ',' : '.')) return null
  const groups = integerPart.split(/[.,]/)
  if (groups.length > 1 && (!/^\d{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))) return null
  return { integer: groups.join(''), fraction }
}

/**
 * "1,299.50" or "1.299,50" → 129950 in MXN; null when the text is not a non-negative amount with at most the currency's
 * decimals. Both common formats are accepted when unambiguous: one separator followed by three digits is grouping
 * when it is not the language's decimal mark ("1,299" in es-MX), and refused as ambiguous when it is ("1.299" in en).
 */
export function toMinorUnits(text: string, currency: string, locale: string = intlLocale()): number | null {
  const digits = fractionDigits(currency)
  const parts = splitAmount(text.trim(), digits, locale)
  if (!parts || parts.fraction.length > digits) return null
  const value = Number(parts.integer) * 10 ** digits + Number(parts.fraction.padEnd(digits, '0') || '0')
  return Number.isSafeInteger(value) ? value : null
}

/** 129950 in MXN → "1,299.50" in the UI's language, for an input field. */
export function toMajorText(minor: number, currency: string, locale: string = intlLocale()): string {
  const digits = fractionDigits(currency)
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits)
}

/** The currency's symbol as shown beside inputs: "MX$", "US$", "€"; a bare "$" gets the country prefix. */
export function currencySymbol(currency: string, locale: string = intlLocale()): string {
  try {
    const symbol = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency
    return symbol === '$' && currency !== 'USD' ? `${currency.slice(0, 2)}$` : symbol
  } catch {
    return currency
  }
}

/** 129950 in MXN → "MX$1,299.50", for display in the UI's language. */
export function formatMoney(minor: number, currency: string): string {
  const digits = fractionDigits(currency)
  const locale = intlLocale()
  try {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(minor / 10 ** digits)
    return marked(parts.map((part) => (part.type === 'currency' ? currencySymbol(currency, locale) : part.value)).join(''))
  } catch {
    return marked(`${toMajorText(minor, currency, locale)} ${currency}`)
  }
}

let shopCurrency = DEFAULT_CURRENCY

/** Remembers the signed-in tenant's currency (from its settings) for new prices; the App calls it on sign-in. */
export function setShopCurrency(settings: Record<string, unknown> | undefined): void {
  shopCurrency = tenantCurrency(settings)
}

/** The signed-in tenant's currency, MXN until known. */
export function currentShopCurrency(): string {
  return shopCurrency
}
