// The language picker in the header and the hooks that keep the UI language, the user's stored choice and the
// document title in step.
import { useEffect } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { currentLocale, isLocale, LOCALES, setLocale, t, type Locale, type MessageKey } from '../i18n'
import { useLocale } from '../i18n/use-locale'

const LOCALE_LABELS: Record<(typeof LOCALES)[number], MessageKey> = { 'es-MX': 'locale.es-MX', en: 'locale.en' }

/** A select of the UI languages; when signed in the choice is also stored on the server for the next sign-in. */
export function LocaleSwitch(props: { signedIn: boolean }) {
  const locale = useLocale()
  const choose = (value: string) => {
    if (!isLocale(value)) return
    setLocale(value)
    if (props.signedIn) void api.patch('/v1/auth/me', { body: { locale: value } }).catch(() => null)
  }
  return (
    <label class="locale-switch">
      <span class="visually-hidden">{t('app.language')}</span>
      <select value={locale} onChange={(e) => choose(e.currentTarget.value)} aria-label={t('app.language')} data-testid="locale-switch">
        {LOCALES.map((value) => (
          <option key={value} value={value} lang={value}>
            {t(LOCALE_LABELS[value])}
          </option>
        ))}
      </select>
    </label>
  )
}

/** Applies the language a signed-in person stored on the server, once per sign-in. */
export function useUserLocale(me: Schemas['Me'] | null): void {
  const stored = me?.user.locale ?? null
  useEffect(() => {
    const wanted: Locale | null = stored
    if (wanted && currentLocale() !== 'qps' && wanted !== currentLocale()) setLocale(wanted)
  }, [me?.user.id, stored])
}

/** Keeps `document.title` equal to `title`. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title
  }, [title])
}
