// Catalog export through the API: streamed CSV and JSON with the importer's columns, and the round trip
// export → import on a fresh tenant → export again giving the same rows.
import { describe, expect, it } from 'vitest'
import { catalogSetup, csv, exportText, importAndWait } from './bulk-helpers'
import { api, signUp, unique } from './helpers'

const HEADER = ['sku', 'product_slug', 'product_name', 'name', 'description', 'status', 'category', 'brand', 'tags', 'price', 'currency', 'compare_at_price', 'weight_grams', 'option:size', 'attr:material', 'attr:features', 'attr:water_m', 'variant_attr:strap']

describe('catalog export', () => {
  it('exports rows that re-import unchanged on a fresh tenant', async () => {
    const source = await signUp()
    await catalogSetup(source)
    const p = unique('rt')
    const rows = [
      [`${p}-D40`, `${p}-diver`, 'Diver', '40 mm', 'Line one\nline "two", with comma', 'active', 'watches', 'Acme', 'sport|dive', 12990, 'MXN', 15990, 120, '40', 'steel', 'date|gmt', 300, 'rubber'],
      [`${p}-D42`, `${p}-diver`, 'Diver', '42 mm', 'Line one\nline "two", with comma', 'active', 'watches', 'Acme', 'sport|dive', 13990, 'MXN', '', 130, '42', 'steel', 'date|gmt', 300, ''],
      [`${p}-P1`, `${p}-pilot`, 'Pilot', '', '', 'draft', '', '', '', 9990, 'USD', '', '', '', 'titanium', 'chrono', '', ''],
    ]
    expect((await importAndWait(source, csv(HEADER, rows))).counts.created).toBe(3)
    const bare = await api<{ id: string }>('/v1/products', { token: source.accessToken, body: { name: 'No variants yet', slug: `${p}-empty` } })
    expect(bare.res.status).toBe(201)

    const first = await exportText(source, 'csv')
    expect(first.res.status).toBe(200)
    expect(first.res.headers.get('content-type')).toContain('text/csv')
    const lines = first.text.trimEnd().split('\r\n')
    expect(lines[0]).toContain('sku,product_slug,product_name,name')
    expect(first.text).toContain(`${p}-empty`)

    const target = await signUp()
    await catalogSetup(target)
    const withVariants = first.text
      .split('\r\n')
      .filter((line) => !line.includes(`${p}-empty`))
      .join('\r\n')
    const imported = await importAndWait(target, withVariants)
    expect(imported.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 0 })
    const second = await exportText(target, 'csv')
    expect(second.text).toBe(withVariants)

    const json = await exportText(target, 'json')
    expect(json.res.headers.get('content-type')).toContain('application/json')
    const objects = JSON.parse(json.text) as Record<string, string>[]
    expect(objects.map((o) => [o.sku, o.price, o['attr:features'], o.description])).toEqual([
      [`${p}-D40`, '12990', 'date|gmt', 'Line one\nline "two", with comma'],
      [`${p}-D42`, '13990', 'date|gmt', 'Line one\nline "two", with comma'],
      [`${p}-P1`, '9990', 'chrono', ''],
    ])
   }, 30_000)

  it('streams an empty catalog as a header or an empty array, and only the caller tenant', async () => {
    const owner = await signUp()
    const other = await signUp()
    await importAndWait(other, csv(['sku', 'product_name', 'price', 'currency'], [[unique('S'), 'Theirs', 100, 'MXN']]))
    expect((await exportText(owner, 'csv')).text.split('\r\n').filter(Boolean)).toHaveLength(1)
    expect(JSON.parse((await exportText(owner, 'json')).text)).toEqual([])
  })
})
