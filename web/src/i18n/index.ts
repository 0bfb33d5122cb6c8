// Translation: `t('key', { params })` looks a key up in the current language's catalogue; see README.md beside this file.
import { en, type MessageKey } from './catalog/en'
import { esMX } from './catalog/es-MX'
import { currentLocale, intlLocale, PSEUDO_CLOSE, PSEUDO_OPEN, type Locale } from './locale'
import type { Message, MessageParams } from './types'

export type { MessageKey } from './catalog/en'
export { currentLocale, LOCALES, matchLocale, setLocale, isLocale, type Locale } from './locale'

const CATALOGUES: Record<Exclude<Locale, 'qps'>, Record<MessageKey, Message>> = { en, 'es-MX': esMX }
const pluralRules = new Map<string, Intl.PluralRules>()

function pluralForm(message: Message, locale: string, count: number | string | undefined): string {
  if (typeof message === 'string') return message
  if (typeof count !== 'number') return message.other
  let rules = pluralRules.get(locale)
  if (!rules) {
    rules = new Intl.PluralRules(locale)
    pluralRules.set(locale, rules)
  }
  if (count === 0 && message.zero !== undefined) return message.zero
  return message[rules.select(count)] ?? message.other
}

/** Replaces each `{name}` with its param; numbers are formatted for the language. */
export function interpolate(text: string, params: MessageParams, locale: string): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value
  })
}

/** The text of `key` in `locale` (the current one by default), with `params` interpolated and the plural form for `count`. */
export function t(key: MessageKey, params: MessageParams = {}, locale: Locale = currentLocale()): string {
  const catalogue = CATALOGUES[locale === 'qps' ? 'en' : locale]
  const text = interpolate(pluralForm(catalogue[key], intlLocale(locale), params.count), params, intlLocale(locale))
  return locale === 'qps' ? `${PSEUDO_OPEN}${text}${PSEUDO_CLOSE}` : text
}

/** Marks a string produced by Intl (a date, an amount) in the pseudo-locale, like catalogue strings; unchanged otherwise. */
export function marked(text: string, locale: Locale = currentLocale()): string {
  return locale === 'qps' ? `${PSEUDO_OPEN}${text}${PSEUDO_CLOSE}` : text
}
