// The API the admin product list and inventory page read: stock and thumbnails per product, bulk product actions,
// product names beside stock levels and ledger actors by email, each scoped to the caller's tenant.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { productImages } from '../../workers/db/schema/catalog'
import { inventoryLevels } from '../../workers/db/schema/inventory'
import { api, createKey, signUp, unique, type Account } from './helpers'

interface Product {
  id: string
  status: string
  categoryId: string | null
  variants: { sku: string }[]
  stock?: { available: number; onHand: number; tracked: boolean }
  thumbnail?: string | null
}
interface ErrorBody {
  error: { code: string; details?: unknown }
}

async function withDb<T>(work: (db: ReturnType<typeof createDatabase>['db']) => Promise<T>): Promise<T> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    return await work(client.db)
  } finally {
    await client.close()
  }
}

async function newProduct(owner: Account, skus: string[] = [unique('SKU')], extra: Record<string, unknown> = {}): Promise<Product> {
  const { res, body } = await api<Product>('/v1/products', {
    token: owner.accessToken,
    body: { name: unique('Watch'), variants: skus.map((sku) => ({ sku, price: 1000, currency: 'MXN' })), ...extra },
  })
  expect(res.status).toBe(201)
  return body
}

/** Writes read-model rows as the Inventory objects' outbox would, at a version no flush of the registered zero overtakes. */
async function readModel(tenantId: string, rows: { sku: string; location: string; onHand: number; available: number }[]) {
  await withDb(async (db) => {
    for (const row of rows) {
      const values = { ...row, reserved: row.onHand - row.available, version: 1_000_000, updatedAt: new Date() }
      await db
        .insert(inventoryLevels)
        .values({ tenantId, ...values })
        .onConflictDoUpdate({ target: [inventoryLevels.tenantId, inventoryLevels.sku, inventoryLevels.location], set: values })
    }
  })
}

async function image(tenantId: string, productId: string, fields: { status: 'pending' | 'ready'; isPrimary: boolean; position: number }) {
  const [row] = await withDb((db) =>
    db
      .insert(productImages)
      // An image the indexer made ready has its thumbnails; a pending one has none yet.
      .values({ tenantId, productId, r2Key: `t/${tenantId}/images/x/original`, sha256: crypto.randomUUID(), contentType: 'image/png', bytes: 10, width: 1, height: 1, thumbnailsAt: fields.status === 'ready' ? new Date() : null, ...fields })
      .returning({ id: productImages.id }),
  )
  return row?.id ?? ''
}

const list = (owner: Account, query: string) => api<{ data: Product[] }>(`/v1/products?${query}`, { token: owner.accessToken })
const bulk = (credential: { token?: string; apiKey?: string }, body: unknown) => api<ErrorBody & { affected: number }>('/v1/products/bulk', { ...credential, body })

describe('product list extras', () => {
  it('sums available stock over variants and locations, and gives the cover thumbnail, only when asked', { timeout: 30_000 }, async () => {
    const owner = await signUp()
    const [a, b] = [unique('A'), unique('B')]
    const stocked = await newProduct(owner, [a, b])
    const untracked = await api<Product>('/v1/products', { token: owner.accessToken, body: { name: unique('No variants') } }).then((r) => r.body)
    await readModel(owner.tenant.id, [
      { sku: a, location: 'main', onHand: 5, available: 4 },
      { sku: a, location: 'store', onHand: 2, available: 2 },
      { sku: b, location: 'main', onHand: 0, available: 0 },
    ])
    await image(owner.tenant.id, stocked.id, { status: 'pending', isPrimary: false, position: 0 })
    const cover = await image(owner.tenant.id, stocked.id, { status: 'ready', isPrimary: true, position: 1 })

    const plain = await list(owner, 'limit=10')
    expect(plain.body.data[0]).not.toHaveProperty('stock')
    expect(plain.body.data[0]).not.toHaveProperty('thumbnail')

    const { res, body } = await list(owner, 'limit=10&include=stock,thumbnail')
    expect(res.status).toBe(200)
    const byId = new Map(body.data.map((p) => [p.id, p]))
    expect(byId.get(stocked.id)).toMatchObject({ stock: { available: 6, onHand: 7, tracked: true }, thumbnail: `/v1/media/t/${owner.tenant.id}/images/${cover}/thumb-300.webp` })
    expect(byId.get(untracked.id)).toMatchObject({ stock: { available: 0, onHand: 0, tracked: false }, thumbnail: null })
  })

  it("refuses an unknown include, and never counts another tenant's stock of the same SKU", { timeout: 30_000 }, async () => {
    const a = await signUp()
    const b = await signUp()
    const sku = unique('SHARED')
    await newProduct(a, [sku])
    await readModel(b.tenant.id, [{ sku, location: 'main', onHand: 50, available: 50 }])
    const bad = await api<ErrorBody>('/v1/products?include=stock,price', { token: a.accessToken })
    expect(bad.res.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_request')
    const { body } = await list(a, 'include=stock')
    expect(body.data[0]?.stock).toMatchObject({ available: 0, onHand: 0 })
  })
})

describe('bulk product actions', () => {
  it('activates, archives, sets the category of and deletes the selected products', { timeout: 30_000 }, async () => {
    const owner = await signUp()
    const products = [await newProduct(owner), await newProduct(owner), await newProduct(owner)]
    const ids = products.map((p) => p.id)
    const category = await api<{ id: string }>('/v1/categories', { token: owner.accessToken, body: { name: unique('Relojes') } })

    expect((await bulk({ token: owner.accessToken }, { action: 'activate', ids })).body.affected).toBe(3)
    expect((await list(owner, 'status=active')).body.data.map((p) => p.id).sort()).toEqual([...ids].sort())
    expect((await bulk({ token: owner.accessToken }, { action: 'archive', ids: ids.slice(0, 1) })).res.status).toBe(200)
    expect((await list(owner, 'status=archived')).body.data.map((p) => p.id)).toEqual(ids.slice(0, 1))
    expect((await bulk({ token: owner.accessToken }, { action: 'set_category', ids, categoryId: category.body.id })).res.status).toBe(200)
    expect((await list(owner, `categoryId=${category.body.id}`)).body.data).toHaveLength(3)
    expect((await bulk({ token: owner.accessToken }, { action: 'set_category', ids: ids.slice(2), categoryId: null })).res.status).toBe(200)
    expect((await api<Product>(`/v1/products/${ids[2]}`, { token: owner.accessToken })).body.categoryId).toBeNull()

    const removed = await bulk({ token: owner.accessToken }, { action: 'delete', ids: ids.slice(0, 2) })
    expect(removed.body).toMatchObject({ action: 'delete', affected: 2 })
    expect((await api(`/v1/products/${ids[0]}`, { token: owner.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/products/${ids[2]}`, { token: owner.accessToken })).res.status).toBe(200)
  })

  it('refuses bad input with the error shape and needs the write scope', { timeout: 30_000 }, async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    for (const body of [
      { action: 'explode', ids: [product.id] },
      { action: 'activate', ids: [] },
      { action: 'activate', ids: ['not-a-uuid'] },
      { action: 'activate', ids: [product.id, product.id] },
      { action: 'set_category', ids: [product.id] },
      { action: 'set_category', ids: [product.id], categoryId: crypto.randomUUID() },
      { action: 'activate', ids: [product.id], extra: true },
    ]) {
      const { res, body: answer } = await bulk({ token: owner.accessToken }, body)
      expect({ body, status: res.status, code: answer.error.code }).toEqual({ body, status: 400, code: 'invalid_request' })
    }
    const reader = await createKey(owner, ['read'])
    expect((await bulk({ apiKey: reader.key }, { action: 'archive', ids: [product.id] })).res.status).toBe(403)
  })

  it("answers 404 for another tenant's products and changes nothing, even mixed with the caller's own", { timeout: 30_000 }, async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['read', 'write'])
    const mine = await newProduct(a)
    const theirs = await newProduct(b)
    const theirCategory = await api<{ id: string }>('/v1/categories', { token: b.accessToken, body: { name: unique('B') } })
    for (const credential of [{ token: a.accessToken }, { apiKey: aKey.key }]) {
      for (const action of ['activate', 'archive', 'delete']) {
        const { res, body } = await bulk(credential, { action, ids: [mine.id, theirs.id] })
        expect(res.status).toBe(404)
        expect(body.error.details).toEqual({ missing: [theirs.id] })
      }
      expect((await bulk(credential, { action: 'set_category', ids: [mine.id], categoryId: theirCategory.body.id })).res.status).toBe(400)
    }
    expect((await api<Product>(`/v1/products/${theirs.id}`, { token: b.accessToken })).body.status).toBe('draft')
    expect((await api<Product>(`/v1/products/${mine.id}`, { token: a.accessToken })).body).toMatchObject({ status: 'draft', categoryId: null })
  })
})

describe('inventory labels', () => {
  const mutate = (owner: Account, path: string, body: unknown) => api(path, { token: owner.accessToken, body, headers: { 'idempotency-key': crypto.randomUUID() } })

  it('names the product and variant of each level, and only from the caller tenant', { timeout: 30_000 }, async () => {
    const a = await signUp()
    const b = await signUp()
    const sku = unique('LBL')
    const product = await newProduct(a, [sku])
    await newProduct(b, [sku], { name: 'B secret product' })
    const orphan = unique('ORPHAN')
    expect((await mutate(a, '/v1/inventory/skus', { skus: [{ sku }, { sku: orphan }] })).res.status).toBe(200)
    expect((await mutate(b, '/v1/inventory/skus', { skus: [{ sku }] })).res.status).toBe(200)

    const { res, body } = await api<{ data: { sku: string; product?: { productId: string; productName: string } | null }[] }>('/v1/inventory?include=product&limit=200', { token: a.accessToken })
    expect(res.status).toBe(200)
    expect(body.data.find((l) => l.sku === sku)?.product).toMatchObject({ productId: product.id, productName: expect.stringContaining('Watch') })
    expect(body.data.find((l) => l.sku === orphan)?.product).toBeNull()
    expect(JSON.stringify(body)).not.toContain('B secret product')
    const one = await api<{ data: { product?: { productId: string } | null }[] }>(`/v1/inventory?sku=${sku}&include=product`, { token: b.accessToken })
    expect(one.body.data[0]?.product?.productId).not.toBe(product.id)
    expect((await api('/v1/inventory?include=variant', { token: a.accessToken })).res.status).toBe(400)
  })

  it("shows ledger actors as the member's email or the key's name, never another tenant's people", { timeout: 30_000 }, async () => {
    const owner = await signUp()
    const key = await createKey(owner, ['read', 'write'])
    const sku = unique('LEDGER')
    expect((await mutate(owner, '/v1/inventory/skus', { skus: [{ sku }] })).res.status).toBe(200)
    expect((await mutate(owner, '/v1/inventory/adjust', { reason: 'recount', lines: [{ sku, delta: 3 }] })).res.status).toBe(200)
    expect((await api('/v1/inventory/adjust', { apiKey: key.key, body: { lines: [{ sku, delta: 1 }] }, headers: { 'idempotency-key': crypto.randomUUID() } })).res.status).toBe(200)
    const { body } = await api<{ data: { actor: string; actorLabel: string | null; reason: string }[] }>(`/v1/inventory/${sku}/ledger`, { token: owner.accessToken })
    const byActor = new Map(body.data.map((entry) => [entry.actor, entry.actorLabel]))
    expect(byActor.get(`user:${owner.user.id}`)).toBe(owner.email)
    expect(byActor.get(`key:${key.id}`)).toMatch(/^key/)

    const other = await signUp()
    expect((await api(`/v1/inventory/${sku}/ledger`, { token: other.accessToken })).res.status).toBe(404)
  })
})
