// Catalog bulk import through the API: dry-run reports, real runs driven through the CatalogImport object's alarm,
// idempotent re-runs, per-row errors, progress, limits and tenant isolation.
import { describe, expect, it } from 'vitest'
import { catalogSetup, csv, drain, importAndWait, upload, type DryRun, type ImportStatus } from './bulk-helpers'
import { api, signUp, unique } from './helpers'

const HEADER = ['sku', 'product_slug', 'product_name', 'name', 'status', 'category', 'tags', 'price', 'currency', 'option:size', 'attr:material', 'attr:features', 'attr:water_m', 'variant_attr:strap']

interface Product {
  slug: string
  name: string
  status: string
  tags: string[]
  attributes: Record<string, unknown>
  variants: { sku: string; price: number; options: Record<string, string>; attributes: Record<string, unknown> }[]
}

function goodRows(prefix: string) {
  return [
    [`${prefix}-D40`, `${prefix}-diver`, 'Diver', '40 mm', 'active', 'watches', 'sport|dive', 12990, 'MXN', '40', 'steel', 'date|gmt', 300, 'rubber'],
    [`${prefix}-D42`, `${prefix}-diver`, 'Diver', '42 mm', 'active', 'watches', 'sport|dive', 13990, 'MXN', '42', 'steel', 'date|gmt', 300, 'steel'],
    [`${prefix}-P1`, '', 'Pilot Chrono', '', 'draft', '', '', 9990, 'USD', '', 'titanium', 'chrono', '', ''],
  ]
}

describe('catalog import', () => {
  it('dry run reports every bad row with its number and field and writes nothing', async () => {
    const owner = await signUp()
    await catalogSetup(owner)
    const p = unique('dry')
    const body = csv(HEADER, [
      ...goodRows(p),
      [`${p}-X1`, `${p}-bad`, 'Bad', '', 'active', 'watches', '', 100, 'pesos', '', 'steel', '', '', ''],
      [`${p}-X2`, `${p}-neg`, 'Negative', '', 'active', '', '', -5, 'MXN', '', '', '', '', ''],
      [`${p}-X3`, `${p}-opt`, 'Option', '', 'active', '', '', 100, 'MXN', '', 'plastic', '', 'deep', ''],
      ['', `${p}-nosku`, 'No SKU', '', 'active', '', '', 100, 'MXN', '', '', '', '', ''],
      [`${p}-D40`, `${p}-dup`, 'Duplicate', '', 'active', '', '', 100, 'MXN', '', '', '', '', ''],
      [`${p}-X4`, `${p}-cat`, 'Category', '', 'active', 'nowhere', '', 100, 'MXN', '', '', '', '', ''],
    ])
    const { res, body: report } = await upload<DryRun>(owner, body, { dryRun: true })
    expect(res.status).toBe(200)
    expect(report.totalRows).toBe(9)
    expect(report.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 6 })
    expect(report.errors.map((e) => [e.row, e.field])).toEqual([
      [5, 'currency'],
      [6, 'price'],
      [7, 'attr:material'],
      [7, 'attr:water_m'],
      [8, 'sku'],
      [9, 'sku'],
      [10, 'category'],
    ])
    expect(report.errors.find((e) => e.row === 9)?.message).toContain('row 2')

    const list = await api<{ data: unknown[] }>('/v1/products', { token: owner.accessToken })
    expect(list.body.data).toEqual([])
  })

  it('creates products and variants in the background, then a re-run of the same file changes nothing', async () => {
    const owner = await signUp()
    await catalogSetup(owner)
    const p = unique('run')
    const body = csv(HEADER, goodRows(p))
    const first = await importAndWait(owner, body)
    expect(first).toMatchObject({ status: 'completed', totalRows: 3, processedRows: 3, counts: { created: 3, updated: 0, unchanged: 0, failed: 0 }, errors: [] })

    const diver = await api<Product>(`/v1/products/${p}-diver`, { token: owner.accessToken })
    expect(diver.body).toMatchObject({ name: 'Diver', status: 'active', tags: ['sport', 'dive'], attributes: { material: 'steel', features: ['date', 'gmt'], water_m: 300 } })
    expect(diver.body.variants.map((v) => [v.sku, v.price, v.options.size, v.attributes.strap])).toEqual([
      [`${p}-D40`, 12990, '40', 'rubber'],
      [`${p}-D42`, 13990, '42', 'steel'],
    ])
    const stock = await api<{ data: { sku: string; onHand: number }[] }>(`/v1/inventory?sku=${p}-D42`, { token: owner.accessToken })
    expect(stock.res.status).toBe(200)
    expect(stock.body.data).toMatchObject([{ sku: `${p}-D42`, onHand: 0 }])
    const pilot = await api<{ data: Product[] }>(`/v1/products?q=${encodeURIComponent('Pilot Chrono')}`, { token: owner.accessToken })
    expect(pilot.body.data.map((x) => x.slug)).toEqual(['pilot-chrono'])

    const again = await importAndWait(owner, body)
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 3, failed: 0 })

    const repriced = csv(['sku', 'product_name', 'price'], [[`${p}-D42`, 'Diver', 14990]])
    const update = await importAndWait(owner, repriced)
    expect(update.counts).toEqual({ created: 0, updated: 1, unchanged: 0, failed: 0 })
    const after = await api<Product>(`/v1/products/${p}-diver`, { token: owner.accessToken })
    expect(after.body.variants.map((v) => v.price)).toEqual([12990, 14990])
    expect(after.body.attributes.material).toBe('steel')
  })

  it('skips bad products whole, writes the good ones, and keeps the errors readable', async () => {
    const owner = await signUp()
    await catalogSetup(owner)
    const p = unique('mixed')
    const body = csv(HEADER, [
      ...goodRows(p),
      [`${p}-B1`, `${p}-half`, 'Half', '', 'active', '', '', 100, 'MXN', '', '', '', '', ''],
      [`${p}-B2`, `${p}-half`, 'Half', '', 'active', '', '', -1, 'MXN', '', '', '', '', ''],
    ])
    const final = await importAndWait(owner, body)
    expect(final.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 2 })
    expect(final.errors).toEqual([{ row: 6, field: 'price', message: expect.any(String) }])
    expect((await api(`/v1/products/${p}-half`, { token: owner.accessToken })).res.status).toBe(404)
  })

  it('reports progress chunk by chunk until completed', async () => {
    const owner = await signUp()
    const p = unique('many')
    const rows = Array.from({ length: 300 }, (_, i) => [`${p}-${i}`, `${p}-product-${Math.floor(i / 2)}`, `Product ${Math.floor(i / 2)}`, 100 + i, 'MXN'])
    const accepted = await upload<ImportStatus>(owner, csv(['sku', 'product_slug', 'product_name', 'price', 'currency'], rows))
    expect(accepted.res.status).toBe(202)
    expect(accepted.body).toMatchObject({ status: 'queued', totalRows: 300, processedRows: 0 })
    const seen = await drain(owner, accepted.body.id)
    expect(seen.some((s) => s.status === 'running' && s.processedRows === 250)).toBe(true)
    expect(seen.at(-1)).toMatchObject({ status: 'completed', processedRows: 300, counts: { created: 300, failed: 0 } })
   }, 60_000)

  it('refuses other media types, oversized files, too many rows and a bad header', async () => {
    const owner = await signUp()
    expect((await upload(owner, '{}', { contentType: 'application/json' })).res.status).toBe(415)
    const big = `sku,product_name\n${'x'.repeat(10 * 1024 * 1024)}\n`
    expect((await upload(owner, big)).res.status).toBe(413)
    const many = `sku,product_name\n${Array.from({ length: 100_001 }, (_, i) => `s${i},p`).join('\n')}\n`
    const tooMany = await upload<{ error: { code: string } }>(owner, many)
    expect(tooMany.res.status).toBe(400)
    expect(tooMany.body.error.code).toBe('invalid_request')
    const header = await upload<{ error: { details: { path: string }[] } }>(owner, 'sku,colour\na,b\n')
    expect(header.res.status).toBe(400)
    expect(header.body.error.details.map((d) => d.path).sort()).toEqual(['colour', 'product_name'])
    const quote = await upload<{ error: { details: { path: string }[] } }>(owner, 'sku,product_name\n"a,b\n')
    expect(quote.body.error.details[0]?.path).toBe('row 2')
  })

  it("hides one tenant's imports from another", async () => {
    const a = await signUp()
    const b = await signUp()
    const accepted = await upload<ImportStatus>(a, csv(['sku', 'product_name', 'price', 'currency'], [[unique('S'), 'Thing', 100, 'MXN']]))
    expect(accepted.res.status).toBe(202)
    expect((await api(`/v1/products/imports/${accepted.body.id}`, { token: b.accessToken })).res.status).toBe(404)
    expect((await drain(a, accepted.body.id)).at(-1)?.status).toBe('completed')
  })
})
