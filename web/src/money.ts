// Prices: the API stores integer minor units with an ISO 4217 currency; people type and read major units.

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

/** "12.50" in USD → 1250; null when the text is not a non-negative amount with at most the currency's decimals. */
export function toMinorUnits(text: string, currency: string): number | null {
  const digits = fractionDigits(currency)
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text)
  if (!match) return null
  const fraction = match[2] ?? ''
  if (fraction.length > digits) return null
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
}

/** 1250 in USD → "12.50", for an input field. */
export function toMajorText(minor: number, currency: string): string {
  const digits = fractionDigits(currency)
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits)
}

/** 1250 in USD → "$12.50", for display. */
export function formatMoney(minor: number, currency: string): string {
  const digits = fractionDigits(currency)
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits)
  } catch {
    return `${toMajorText(minor, currency)} ${currency}`
  }
}
