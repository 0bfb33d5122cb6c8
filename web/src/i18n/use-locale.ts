// The Preact side of the UI language: a hook that re-renders a component when the language switches.
import { useEffect, useState } from 'preact/hooks'
import { currentLocale, onLocaleChange, type Locale } from './locale'

/** The current locale, re-rendering the calling component when it changes. */
export function useLocale(): Locale {
  const [locale, setState] = useState(currentLocale())
  useEffect(() => {
    setState(currentLocale())
    return onLocaleChange(setState)
  }, [])
  return locale
}
