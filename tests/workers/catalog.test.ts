// The catalog through the API: category tree, dynamic attributes, products with variants, filters, search and pagination.
import { describe, expect, it } from 'vitest'
import { api, signUp, unique, type Account } from './helpers'

interface Product {
  id: string
  slug: string
  name: string
  status: string
  attributes: Record<string, unknown>
  attributeIssues: { path: string }[]
  variants: { id: string; sku: string; price: number }[]
}
interface Issues {
  error: { code: string; details: { path: string; message: string }[] }
}

async function category(owner: Account, name: string, parentId?: string): Promise<string> {
  const { res, body } = await api<{ id: string }>('/v1/categories', { token: owner.accessToken, body: { name, ...(parentId ? { parentId } : {}) } })
  expect(res.status).toBe(201)
  return body.id
}

async function product(owner: Account, input: Record<string, unknown>): Promise<Product> {
  const { res, body } = await api<Product>('/v1/products', { token: owner.accessToken, body: input })
  if (res.status !== 201) throw new Error(`product not created: ${res.status} ${JSON.stringify(body)}`)
  return body
}

const variant = (sku: string, price = 1000) => ({ sku, price, currency: 'MXN' })

describe('categories', () => {
  it('builds a tree, refuses cycles and slug clashes, and re-parents children on delete', async () => {
    const owner = await signUp()
    const watches = await category(owner, 'Relojes')
    const sport = await category(owner, 'Deportivos', watches)
    const diving = await category(owner, 'Buceo', sport)
    const tree = await api<{ data: { name: string; depth: number; slug: string }[] }>('/v1/categories', { token: owner.accessToken })
    expect(tree.body.data.map((c) => [c.name, c.depth])).toEqual([['Relojes', 0], ['Deportivos', 1], ['Buceo', 2]])

    const cycle = await api<Issues>(`/v1/categories/${watches}`, { token: owner.accessToken, method: 'PATCH', body: { parentId: diving } })
    expect(cycle.res.status).toBe(400)
    expect(cycle.body.error.details[0]?.path).toBe('parentId')
    expect((await api('/v1/categories', { token: owner.accessToken, body: { name: 'Relojes' } })).res.status).toBe(409)

    expect((await api(`/v1/categories/${sport}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    const after = await api<{ parentId: string }>(`/v1/categories/${diving}`, { token: owner.accessToken })
    expect(after.body.parentId).toBe(watches)
  })
})

describe('dynamic attributes', () => {
  it('validates writes against the definitions with one issue per bad field', async () => {
    const owner = await signUp()
    const define = (body: Record<string, unknown>) => api('/v1/attributes', { token: owner.accessToken, body })
    expect((await define({ key: 'movement', label: 'Movimiento', type: 'list', options: ['automatic', 'quartz'], required: true })).res.status).toBe(201)
    expect((await define({ key: 'water_resistance', label: 'Resistencia (m)', type: 'number' })).res.status).toBe(201)
    expect((await define({ key: 'features', label: 'Funciones', type: 'list', multiple: true, options: ['chrono', 'date', 'gmt'] })).res.status).toBe(201)
    expect((await define({ key: 'released', label: 'Lanzamiento', type: 'date' })).res.status).toBe(201)
    expect((await define({ key: 'limited', label: 'Edición limitada', type: 'boolean' })).res.status).toBe(201)
    expect((await define({ key: 'size', label: 'Talla', type: 'text', appliesTo: 'variant' })).res.status).toBe(201)
    expect((await define({ key: 'movement', label: 'dup', type: 'text' })).res.status).toBe(409)
    expect((await define({ key: 'Bad Key', label: 'x', type: 'list' })).res.status).toBe(400)

    const bad = await api<Issues>('/v1/products', {
      token: owner.accessToken,
      body: {
        name: 'Diver',
        attributes: { water_resistance: 'deep', features: ['chrono', 'alarm'], released: '2024-13-01', limited: 'yes', colour: 'blue' },
        variants: [{ ...variant(unique('SKU')), attributes: { size: 42 } }],
      },
    })
    expect(bad.res.status).toBe(400)
    expect(bad.body.error.details.map((d) => d.path).sort()).toEqual(
      ['attributes.colour', 'attributes.features.1', 'attributes.limited', 'attributes.movement', 'attributes.released', 'attributes.water_resistance'].sort(),
    )

    const badVariant = await api<Issues>('/v1/products', {
      token: owner.accessToken,
      body: { name: 'Diver', attributes: { movement: 'automatic' }, variants: [{ ...variant(unique('SKU')), attributes: { size: 42 } }] },
    })
    expect(badVariant.body.error.details.map((d) => d.path)).toEqual(['variants.0.attributes.size'])

    const good = await product(owner, {
      name: 'Diver',
      attributes: { movement: 'automatic', water_resistance: 300, features: ['chrono', 'date'], released: '2024-05-01', limited: true },
      variants: [{ ...variant(unique('SKU')), attributes: { size: '42mm' } }],
    })
    expect(good.attributeIssues).toEqual([])

    const definitions = await api<{ data: { id: string; key: string }[] }>('/v1/attributes', { token: owner.accessToken })
    const movement = definitions.body.data.find((d) => d.key === 'movement')
    expect((await api(`/v1/attributes/${movement?.id}`, { token: owner.accessToken, method: 'PATCH', body: { options: ['quartz', 'solar'] } })).res.status).toBe(200)
    const reread = await api<Product>(`/v1/products/${good.id}`, { token: owner.accessToken })
    expect(reread.body.attributes.movement).toBe('automatic')
    expect(reread.body.attributeIssues.map((i) => i.path)).toEqual(['attributes.movement'])
  })
})

describe('products', () => {
  it('creates with variants, refuses a taken SKU, reads by id or slug, archives and deletes', async () => {
    const owner = await signUp()
    const sku = unique('RLX')
    const created = await product(owner, { name: 'Submariner Date', variants: [variant(sku, 1_250_000), variant(`${sku}-B`, 1_300_000)] })
    expect(created.variants.map((v) => v.sku)).toEqual([sku, `${sku}-B`])
    expect(created.slug).toBe('submariner-date')
    const clash = await api('/v1/products', { token: owner.accessToken, body: { name: 'Other', variants: [variant(sku)] } })
    expect(clash.res.status).toBe(409)
    expect(clash.body).toMatchObject({ error: { code: 'sku_taken' } })
    const second = await product(owner, { name: 'Submariner Date' })
    expect(second.slug).toMatch(/^submariner-date-[a-z0-9]+$/)

    expect((await api<Product>(`/v1/products/${created.slug}`, { token: owner.accessToken })).body.id).toBe(created.id)
    const archived = await api<Product>(`/v1/products/${created.id}`, { token: owner.accessToken, method: 'PATCH', body: { status: 'archived' } })
    expect(archived.body.status).toBe('archived')
    expect((await api(`/v1/products/${created.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(`/v1/products/${created.id}`, { token: owner.accessToken })).res.status).toBe(404)
    const reuse = await api('/v1/products', { token: owner.accessToken, body: { name: 'Reuse', variants: [variant(sku)] } })
    expect(reuse.res.status).toBe(201)
  })

  it('validates fields with one issue each', async () => {
    const owner = await signUp()
    const { res, body } = await api<Issues>('/v1/products', {
      token: owner.accessToken,
      body: { name: '', status: 'sold', variants: [{ sku: 'has space', price: -1, currency: 'pesos' }, { sku: 'A1', price: 1.5, currency: 'MXN' }] },
    })
    expect(res.status).toBe(400)
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['name', 'status', 'variants.0.currency', 'variants.0.price', 'variants.0.sku', 'variants.1.price'].sort())
    const unknownCategory = await api<Issues>('/v1/products', { token: owner.accessToken, body: { name: 'x', categoryId: '00000000-0000-4000-8000-000000000000' } })
    expect(unknownCategory.body.error.details[0]?.path).toBe('categoryId')
  })

  it('manages variants of a product', async () => {
    const owner = await signUp()
    const created = await product(owner, { name: 'Strap', variants: [variant(unique('STR'))] })
    const added = await api<{ id: string; sku: string; position: number }>(`/v1/products/${created.id}/variants`, { token: owner.accessToken, body: variant(unique('STR'), 500) })
    expect(added.res.status).toBe(201)
    expect(added.body.position).toBe(1)
    const patched = await api<{ price: number }>(`/v1/products/${created.id}/variants/${added.body.id}`, { token: owner.accessToken, method: 'PATCH', body: { price: 750 } })
    expect(patched.body.price).toBe(750)
    const dup = await api(`/v1/products/${created.id}/variants/${added.body.id}`, { token: owner.accessToken, method: 'PATCH', body: { sku: created.variants[0]?.sku } })
    expect(dup.res.status).toBe(409)
    expect((await api(`/v1/products/${created.id}/variants/${added.body.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    const remaining = await api<{ data: unknown[] }>(`/v1/products/${created.id}/variants`, { token: owner.accessToken })
    expect(remaining.body.data).toHaveLength(1)
  })

  it('filters by status, category with descendants, attributes and price, and searches text and SKUs', async () => {
    const owner = await signUp()
    await api('/v1/attributes', { token: owner.accessToken, body: { key: 'colour', label: 'Color', type: 'list', options: ['red', 'black'] } })
    const watches = await category(owner, 'Watches')
    const divers = await category(owner, 'Divers', watches)
    const straps = await category(owner, 'Straps')
    await product(owner, { name: 'Red leather strap', status: 'active', categoryId: straps, attributes: { colour: 'red' }, variants: [variant('STRAP-RED-01', 900)] })
    await product(owner, { name: 'Black rubber strap', status: 'active', categoryId: straps, attributes: { colour: 'black' }, variants: [variant('STRAP-BLK-01', 700)] })
    await product(owner, { name: 'Deep sea diver', status: 'active', categoryId: divers, description: 'A leather-free diving watch', variants: [variant('DIVE-300', 500_000)] })
    await product(owner, { name: 'Pilot chronograph', status: 'draft', categoryId: watches, variants: [variant('PILOT-42', 300_000)] })

    const names = async (query: string) => (await api<{ data: Product[] }>(`/v1/products?${query}`, { token: owner.accessToken })).body.data.map((p) => p.name)
    expect((await names(`categoryId=${watches}`)).sort()).toEqual(['Deep sea diver', 'Pilot chronograph'])
    expect(await names('status=draft')).toEqual(['Pilot chronograph'])
    expect(await names('attr=colour:red')).toEqual(['Red leather strap'])
    expect((await names('minPrice=600&maxPrice=1000')).sort()).toEqual(['Black rubber strap', 'Red leather strap'])
    expect(await names('sort=price&limit=2')).toEqual(['Black rubber strap', 'Red leather strap'])
    expect((await names('q=leather strap'))[0]).toBe('Red leather strap')
    expect(await names('q=DIVE-3')).toEqual(['Deep sea diver'])
    expect(await names('q=chronogrph')).toEqual(['Pilot chronograph'])
    expect((await api('/v1/products?attr=nope:1', { token: owner.accessToken })).res.status).toBe(400)
    expect((await api('/v1/products?limit=0', { token: owner.accessToken })).res.status).toBe(400)
  })

  it('paginates with stable cursors while products are being added', async () => {
    const owner = await signUp()
    for (let i = 0; i < 7; i++) await product(owner, { name: `Item ${i}` })
    const seen: string[] = []
    let cursor: string | null = null
    let inserted = 0
    do {
      const page: { body: { data: Product[]; nextCursor: string | null } } = await api(`/v1/products?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: owner.accessToken })
      seen.push(...page.body.data.map((p) => p.name))
      cursor = page.body.nextCursor
      if (inserted < 2) {
        await product(owner, { name: `Late ${inserted}` })
        inserted += 1
      }
    } while (cursor)
    expect(seen).toEqual(['Item 6', 'Item 5', 'Item 4', 'Item 3', 'Item 2', 'Item 1', 'Item 0'])
    const byName: string[] = []
    cursor = null
    do {
      const page: { body: { data: Product[]; nextCursor: string | null } } = await api(`/v1/products?sort=name&limit=4${cursor ? `&cursor=${cursor}` : ''}`, { token: owner.accessToken })
      byName.push(...page.body.data.map((p) => p.name))
      cursor = page.body.nextCursor
    } while (cursor)
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())))
    expect(byName).toHaveLength(9)
  })
})
