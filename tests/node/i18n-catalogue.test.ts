// The admin UI's message catalogues: same keys in every language, every key used in web/src, placeholders and plural
// forms consistent, and the formatting helpers (money in and out, plurals) behave per language.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { en } from '../../web/src/i18n/catalog/en'
import { esMX } from '../../web/src/i18n/catalog/es-MX'
import type { Message } from '../../web/src/i18n/types'
import { t } from '../../web/src/i18n'
import { currencySymbol, tenantCurrency, toMajorText, toMinorUnits } from '../../web/src/money'

const webSrc = fileURLToPath(new URL('../../web/src', import.meta.url))
const catalogueDir = join(webSrc, 'i18n', 'catalog')
const CATALOGUES: Record<string, Record<string, Message>> = { en, 'es-MX': esMX }

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return path === catalogueDir ? [] : sourceFiles(path)
      return /\.tsx?$/.test(entry.name) ? [path] : []
    }),
  )
  return nested.flat()
}

function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message).filter((v): v is string => typeof v === 'string')
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')))].sort()
}

/** Keys the catalogue check reports as missing in `other`, given `reference`. */
export function missingKeys(reference: Record<string, unknown>, other: Record<string, unknown>): string[] {
  return Object.keys(reference).filter((key) => !(key in other))
}

/** Keys of `catalogue` that appear in none of `sources` as a quoted literal. */
export function unusedKeys(catalogue: Record<string, unknown>, sources: string[]): string[] {
  const text = sources.join('\n')
  return Object.keys(catalogue).filter((key) => !text.includes(`'${key}'`) && !text.includes(`"${key}"`) && !text.includes(`\`${key}\``))
}

describe('message catalogues', () => {
  it('have the same keys in every language', () => {
    for (const [name, catalogue] of Object.entries(CATALOGUES)) {
      expect(missingKeys(en, catalogue), `keys missing in ${name}`).toEqual([])
      expect(missingKeys(catalogue, en), `keys of ${name} not in en`).toEqual([])
    }
  })

  it('the check itself reports a key one language lacks and a key no file uses', () => {
    expect(missingKeys({ a: 1, b: 2 }, { a: 1 })).toEqual(['b'])
    expect(unusedKeys({ 'x.used': 1, 'x.unused': 2 }, ["t('x.used')"])).toEqual(['x.unused'])
  })

  it('use every key somewhere in web/src (as a quoted literal, so keys stay searchable)', async () => {
    const files = await sourceFiles(webSrc)
    const sources = await Promise.all(files.map((file) => readFile(file, 'utf8')))
    expect(files.length).toBeGreaterThan(10)
    expect(unusedKeys(en, sources)).toEqual([])
  })

  it('use the same placeholders in every language, and plural forms where English has them', () => {
    for (const [key, message] of Object.entries(en)) {
      const spanish = (esMX as Record<string, Message>)[key]
      expect(spanish, key).toBeDefined()
      if (spanish === undefined) continue
      expect(placeholders(spanish), key).toEqual(placeholders(message))
      expect(typeof spanish, key).toBe(typeof message)
    }
  })

  it('leave no English text in the Spanish catalogue by accident (only names and technical terms may match)', () => {
    const SAME_ON_PURPOSE = new Set(['app.title', 'app.pageTitle', 'app.brand', 'app.whoami', 'locale.es-MX', 'locale.en', 'ai.kind.huggingface', 'ai.kind.workersAi'])
    const identical = Object.entries(en).filter(
      ([key, message]) => !SAME_ON_PURPOSE.has(key) && JSON.stringify(message) === JSON.stringify((esMX as Record<string, Message>)[key]) && /[a-z]{4,}/i.test(JSON.stringify(message).replace(/\{\w+\}/g, '')),
    )
    expect(identical.map(([key]) => key)).toEqual([])
  })
})

describe('t()', () => {
  it('interpolates named params and picks the plural form with Intl.PluralRules', () => {
    expect(t('issue.too_short', { count: 1 }, 'en')).toBe('At least 1 character.')
    expect(t('issue.too_short', { count: 8 }, 'es-MX')).toBe('Al menos 8 caracteres.')
    expect(t('error.insufficient_stock_available', { sku: 'R-1', available: 1, requested: 3, count: 1 }, 'es-MX')).toBe(
      'No hay existencias suficientes de R-1: hay 1 unidad disponible y se pidieron 3.',
    )
  })

  it('marks every string in the pseudo-locale the browser tests use', () => {
    expect(t('nav.products', {}, 'qps')).toBe('⟦Products⟧')
  })
})

describe('money', () => {
  it('reads both common formats when unambiguous, in either language', () => {
    for (const locale of ['es-MX', 'en']) {
      expect(toMinorUnits('1.299,50', 'MXN', locale)).toBe(129950)
      expect(toMinorUnits('1,299.50', 'MXN', locale)).toBe(129950)
      expect(toMinorUnits('1299', 'MXN', locale)).toBe(129900)
      expect(toMinorUnits('1,299', 'MXN', locale)).toBe(129900)
      expect(toMinorUnits('1.299', 'MXN', locale), 'ambiguous: a decimal mark with three decimals').toBeNull()
      expect(toMinorUnits('12,5', 'MXN', locale)).toBe(1250)
      expect(toMinorUnits('12.50', 'MXN', locale)).toBe(1250)
      expect(toMinorUnits('1 299,50', 'MXN', locale)).toBe(129950)
      expect(toMinorUnits('1.234.567,89', 'MXN', locale)).toBe(123456789)
    }
    expect(toMinorUnits('1.299', 'CLP', 'es-MX')).toBe(1299)
    expect(toMinorUnits('1.299', 'MXN', 'es-CL')).toBe(129900)
    expect(toMinorUnits('3.005', 'MXN', 'en')).toBeNull()
  })

  it('refuses what is not an amount', () => {
    for (const text of ['', 'abc', '-5', '1.2.3,4', '1,2,3', '12.', '1.299,50.1', '12,34,5', '12.345']) expect(toMinorUnits(text, 'MXN', 'en'), text).toBeNull()
    expect(toMinorUnits('12,345', 'MXN', 'en')).toBe(1234500)
  })

  it('writes amounts for inputs in the language and names the currency unambiguously', () => {
    expect(toMajorText(129950, 'MXN', 'es-MX')).toBe('1,299.50')
    expect(toMajorText(129950, 'MXN', 'en')).toBe('1,299.50')
    expect(currencySymbol('MXN', 'es-MX')).toBe('MX$')
    expect(currencySymbol('MXN', 'en')).toBe('MX$')
    expect(tenantCurrency({ currency: 'clp' })).toBe('CLP')
    expect(tenantCurrency({})).toBe('MXN')
  })
})
