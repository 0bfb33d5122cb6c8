// Prices per million tokens typed in the AI providers form: both decimal marks, thousands groups, and refusals.
import { describe, expect, it } from 'vitest'
import { decimalText, parseDecimal } from '../../web/src/decimal'

describe('parseDecimal', () => {
  it('reads the language decimal mark, the other one before a non-three-digit tail, and both together', () => {
    expect(parseDecimal('0.15', 'en')).toBe(0.15)
    expect(parseDecimal('0,15', 'es-MX')).toBe(0.15)
    expect(parseDecimal('0,075', 'de')).toBe(0.075)
    expect(parseDecimal('1,000.5', 'en')).toBe(1000.5)
    expect(parseDecimal('1.000,5', 'es-MX')).toBe(1000.5)
    expect(parseDecimal(' 2.5 ', 'es-MX')).toBe(2.5)
    expect(parseDecimal('', 'en')).toBe(0)
  })

  it('reads a lone mark before exactly three digits as thousands when it is not the language decimal mark', () => {
    expect(parseDecimal('1,000', 'en')).toBe(1000)
    expect(parseDecimal('1.000', 'en')).toBe(1)
    expect(parseDecimal('1.000', 'de')).toBe(1000)
    expect(parseDecimal('1,000,000', 'es-MX')).toBe(1_000_000)
  })

  it('refuses what is not a non-negative amount with at most six decimals', () => {
    for (const text of ['abc', '-1', '1.', '.5', '1.2.3', '12,34,5', '0.1234567', '1,000.5,3', '1e3']) expect(parseDecimal(text, 'en'), text).toBeNull()
  })
})

describe('decimalText', () => {
  it('writes numbers back without grouping in the language', () => {
    expect(decimalText(1000.5, 'en')).toBe('1000.5')
    expect(decimalText(0.075, 'de')).toBe('0,075')
    expect(decimalText(0, 'es-MX')).toBe('0')
  })
})
