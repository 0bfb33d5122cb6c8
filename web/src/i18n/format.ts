// Numbers, dates and relative times from Intl in the UI's language (money lives in ../money.ts).
import { marked } from './index'
import { currentLocale, intlLocale } from './locale'

/** 1234.5 → "1,234.5" (en) / "1,234.5" (es-MX). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return marked(new Intl.NumberFormat(intlLocale(), options).format(value))
}

/** A date (ISO string or Date) as a short date. */
export function formatDate(value: string | Date): string {
  return marked(new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium' }).format(new Date(value)))
}

/** A date and time, short. */
export function formatDateTime(value: string | Date): string {
  return marked(new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)))
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

/** "hace 5 min" / "5 min. ago" / "in 2 days", relative to `now`. */
export function formatRelative(value: string | Date, now: Date = new Date()): string {
  const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000)
  const format = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto', style: 'short' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return marked(format.format(Math.trunc(seconds / size), unit))
  }
  return marked(format.format(0, 'second'))
}

/** A list such as "read, write y admin". */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(intlLocale(), { style: 'short', type: 'conjunction' }).format(items)
}

export { currentLocale }
