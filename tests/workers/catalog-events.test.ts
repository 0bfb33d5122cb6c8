// The catalog's domain events: each product change (API, variants, bulk actions, CSV import) writes exactly one event
// in its own transaction, a refused change writes none, and a finished import writes one `import.completed`.
import { env } from 'cloudflare:test'
import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { events } from '../../workers/db/schema/events'
import { csv, importAndWait } from './bulk-helpers'
import { api, signUp, unique, type Account } from './helpers'

async function eventsOf(tenantId: string, subjectId?: string) {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    return await client.db
      .select({ type: events.type, subjectType: events.subjectType, subjectId: events.subjectId, data: events.data })
      .from(events)
      .where(and(eq(events.tenantId, tenantId), ...(subjectId ? [eq(events.subjectId, subjectId)] : [])))
      .orderBy(asc(events.createdAt), asc(events.id))
  } finally {
    await client.close()
  }
}

async function createProduct(owner: Account, sku = unique('SKU')): Promise<string> {
  const { res, body } = await api<{ id: string }>('/v1/products', { token: owner.accessToken, body: { name: 'Mug', variants: [{ sku, price: 100, currency: 'MXN' }] } })
  expect(res.status).toBe(201)
  return body.id
}

describe('catalog events', () => {
  it('writes product.created, product.updated and product.deleted once per change, and nothing for a refused change', async () => {
    const owner = await signUp()
    const sku = unique('SKU')
    const id = await createProduct(owner, sku)
    const conflict = await api('/v1/products', { token: owner.accessToken, body: { name: 'Copy', variants: [{ sku, price: 1, currency: 'MXN' }] } })
    expect(conflict.res.status).toBe(409)
    expect((await api(`/v1/products/${id}`, { token: owner.accessToken, method: 'PATCH', body: { name: 'Big mug', status: 'active' } })).res.status).toBe(200)
    expect((await api(`/v1/products/${id}`, { token: owner.accessToken, method: 'PATCH', body: { categoryId: crypto.randomUUID() } })).res.status).toBe(400)
    expect((await api(`/v1/products/${id}/variants`, { token: owner.accessToken, body: { sku: unique('SKU'), price: 5, currency: 'MXN' } })).res.status).toBe(201)
    expect((await api(`/v1/products/${id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(`/v1/products/${id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)

    expect(await eventsOf(owner.tenant.id)).toEqual([
      { type: 'product.created', subjectType: 'product', subjectId: id, data: { version: 1, id, name: 'Mug', slug: 'mug', status: 'draft', source: 'api' } },
      { type: 'product.updated', subjectType: 'product', subjectId: id, data: { version: 1, id, name: 'Big mug', status: 'active', fields: ['name', 'status'] } },
      { type: 'product.updated', subjectType: 'product', subjectId: id, data: { version: 1, id, name: 'Big mug', status: 'active', fields: ['variants'] } },
      { type: 'product.deleted', subjectType: 'product', subjectId: id, data: { version: 1, id, name: 'Big mug' } },
    ])
  })

  it('writes one event per product of a bulk action, and none when the action is refused', async () => {
    const owner = await signUp()
    const ids = [await createProduct(owner), await createProduct(owner)]
    const refused = await api('/v1/products/bulk', { token: owner.accessToken, body: { action: 'archive', ids: [...ids, crypto.randomUUID()] } })
    expect(refused.res.status).toBe(404)
    const done = await api('/v1/products/bulk', { token: owner.accessToken, body: { action: 'archive', ids } })
    expect(done.res.status).toBe(200)
    const updates = (await eventsOf(owner.tenant.id)).filter((e) => e.type === 'product.updated')
    expect(updates.map((e) => e.subjectId).sort()).toEqual([...ids].sort())
    expect(updates.every((e) => (e.data as { status?: string }).status === 'archived')).toBe(true)
  })

  it('writes product.created per imported product and one import.completed when the import finishes', async () => {
    const owner = await signUp()
    const p = unique('imp')
    const body = csv(['sku', 'product_slug', 'product_name', 'price', 'currency'], [
      [`${p}-A1`, `${p}-a`, 'Alpha', 100, 'MXN'],
      [`${p}-A2`, `${p}-a`, 'Alpha', 110, 'MXN'],
      [`${p}-B1`, `${p}-b`, 'Beta', 200, 'MXN'],
    ])
    const final = await importAndWait(owner, body)
    expect(final.status).toBe('completed')
    const all = await eventsOf(owner.tenant.id)
    expect(all.filter((e) => e.type === 'product.created').map((e) => (e.data as { source: string; name: string }).name).sort()).toEqual(['Alpha', 'Beta'])
    expect(all.filter((e) => e.type === 'import.completed')).toEqual([
      { type: 'import.completed', subjectType: 'catalog_import', subjectId: final.id, data: { version: 1, importId: final.id, processed: 3, created: 3, updated: 0, unchanged: 0, failed: 0 } },
    ])
  })

  it('documents every event type and its data shape in the OpenAPI description', async () => {
    const { body } = await api<{ info: { description: string } }>('/openapi.json')
    for (const type of ['product.created', 'image.indexed', 'import.completed', 'stock.out', 'reservation.expired', 'order.paid']) expect(body.info.description).toContain(`| \`${type}\` |`)
  })
})
