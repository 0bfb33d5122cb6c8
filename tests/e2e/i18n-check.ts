// The untranslated-string check of the browser tests: in the pseudo-locale every catalogue and Intl string is wrapped
// in ⟦…⟧, so any letters on the page outside those marks that are not API data are a literal someone forgot to translate.
import type { Page } from 'playwright-core'

const OPEN = '⟦'
const CLOSE = '⟧'

/** Every visible text node and user-facing attribute (placeholder, aria-label, title, alt) of the page, with where it is. */
export async function visibleTexts(page: Page): Promise<{ text: string; where: string }[]> {
  return page.evaluate(() => {
    const found: { text: string; where: string }[] = []
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement
      const text = node.textContent?.trim() ?? ''
      if (!parent || text === '' || parent.closest('script, style, noscript')) continue
      if (!(parent.closest('svg') || parent.tagName === 'OPTION' || parent.checkVisibility({ visibilityProperty: true }) || parent.closest('.visually-hidden'))) continue
      found.push({ text, where: describe(parent) })
    }
    for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title], img[alt], [data-label]')) {
      for (const name of ['placeholder', 'aria-label', 'title', 'alt', 'data-label']) {
        const value = el.getAttribute(name)?.trim()
        if (value) found.push({ text: value, where: `${describe(el)}[${name}]` })
      }
    }
    return found
  })
}

/** `text` with every ⟦…⟧ segment (nested ones included) removed. */
export function withoutMarked(text: string): string {
  let depth = 0
  let rest = ''
  for (const char of text) {
    if (char === OPEN) depth++
    else if (char === CLOSE) depth = Math.max(0, depth - 1)
    else if (depth === 0) rest += char
  }
  return rest
}

/** Every string and number in an API JSON body: names, SKUs, emails… the page may show as they are. */
export function dataStrings(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string' && value.trim().length >= 2) into.add(value.trim())
  else if (typeof value === 'number') into.add(String(value))
  else if (Array.isArray(value)) for (const item of value) dataStrings(item, into)
  else if (value && typeof value === 'object') {
    // An error body's English message is exactly what must not reach the page untranslated.
    for (const [key, item] of Object.entries(value)) if (key !== 'error') dataStrings(item, into)
  }
  return into
}

/** The texts that still have letters once the marked parts and the known data values are taken out. */
export function untranslated(texts: { text: string; where: string }[], data: Set<string>): { text: string; where: string }[] {
  const known = [...data].sort((a, b) => b.length - a.length)
  return texts.filter(({ text }) => {
    let rest = withoutMarked(text)
    for (const value of known) if (rest.includes(value)) rest = rest.split(value).join(' ')
    return /\p{L}/u.test(rest)
  })
}

/** Collects the data of every API JSON response `page` receives from now on. */
export function collectApiData(page: Page): Set<string> {
  const data = new Set<string>()
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/v1/') || !(response.headers()['content-type'] ?? '').includes('json')) return
    response.json().then(
      (body: unknown) => dataStrings(body, data),
      () => undefined,
    )
  })
  return data
}
