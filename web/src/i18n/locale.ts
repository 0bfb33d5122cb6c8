// The UI language: detected from the browser, switchable, remembered locally and on the server, mirrored to <html lang>.
// Free of Preact, so Node-side code (the catalogue test, browser-test helpers) can import the catalogue through it.

/** Languages with a catalogue. `qps` is a test-only pseudo-locale that marks every catalogue string. */
export const LOCALES = ['es-MX', 'en'] as const
export type Locale = (typeof LOCALES)[number] | 'qps'

const STORAGE_KEY = 'vitrina.locale'
/** Start and end markers the pseudo-locale wraps around every catalogue and Intl string (browser tests look for them). */
export const PSEUDO_OPEN = '⟦'
export const PSEUDO_CLOSE = '⟧'

const listeners = new Set<(locale: Locale) => void>()

/** The catalogue language best matching `wanted` (BCP 47 tags in preference order): any Spanish → es-MX, else en. */
export function matchLocale(wanted: readonly string[]): Locale {
  for (const tag of wanted) {
    if (tag === 'qps') return 'qps'
    const lower = tag.toLowerCase()
    if (lower.startsWith('es')) return 'es-MX'
    if (lower.startsWith('en')) return 'en'
  }
  return 'es-MX'
}

function initialLocale(): Locale {
  if (typeof window === 'undefined') return 'en'
  const forced = new URLSearchParams(window.location.search).get('locale')
  if (forced) {
    const locale = matchLocale([forced])
    localStorage.setItem(STORAGE_KEY, locale)
    return locale
  }
  const stored = localStorage.getItem(STORAGE_KEY)
  return matchLocale([stored, ...navigator.languages].filter((tag): tag is string => typeof tag === 'string' && tag !== ''))
}

let current: Locale = initialLocale()

/** The locale Intl formats with: the pseudo-locale formats as English. */
export function intlLocale(locale: Locale = current): string {
  return locale === 'qps' ? 'en' : locale
}

function apply(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = intlLocale(locale)
}
apply(current)

/** The language the UI shows now. */
export function currentLocale(): Locale {
  return current
}

/** Switches the language everywhere at once (components re-render, state is kept) and remembers it in this browser. */
export function setLocale(locale: Locale): void {
  if (locale === current) return
  current = locale
  localStorage.setItem(STORAGE_KEY, locale)
  apply(locale)
  for (const listener of listeners) listener(locale)
}

/** Calls `listener` on every language switch until the returned function is called. */
export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** True for a value the server may store as a user's language. */
export function isLocale(value: unknown): value is (typeof LOCALES)[number] {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}
