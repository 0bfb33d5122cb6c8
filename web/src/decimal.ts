// Plain decimal numbers typed by people (AI prices per million tokens, which need more decimals than a currency has):
// "0.15", "0,15", "1,000.5" or "1.000,5", read without guessing wrong, and written back in the person's format.

function decimalMark(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.'
}

/**
 * "0.15" / "0,15" / "1,000.5" / "1.000,5" → a non-negative number with at most six decimals; "" → 0; null when it is
 * not one. With both marks the last one is the decimal mark; a single mark is decimal when it is the language's, or
 * when it is not followed by exactly three digits ("1,000" in es-MX is a thousand, "0,15" is 0.15). Thousands groups
 * must have three digits ("1.2.3" is refused).
 */
export function parseDecimal(text: string, locale: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '')
  if (compact === '') return 0
  if (!/^\d[\d.,]*$/.test(compact) || /[.,]$/.test(compact)) return null
  const last = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','))
  const mark = compact[last] ?? '.'
  const other = mark === '.' ? ',' : '.'
  const single = compact.split(mark).length === 2
  const isDecimal = last >= 0 && (compact.includes(other) || (single && (mark === decimalMark(locale) || compact.length - last - 1 !== 3)))
  const integerPart = isDecimal ? compact.slice(0, last) : compact
  const fraction = isDecimal ? compact.slice(last + 1) : ''
  const groups = integerPart.split(/[.,]/)
  if (groups.length > 1 && (!/^\d{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))) return null
  if (fraction.length > 6) return null
  return Number(`${groups.join('')}.${fraction || '0'}`)
}

/** A number as typed back into an input in `locale`'s format, without grouping and with up to six decimals. */
export function decimalText(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 6, useGrouping: false }).format(value)
}
