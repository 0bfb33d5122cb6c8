// Helpers for the tenant archive tests: fill a tenant with one of everything, drive an archive job's alarm, and read a
// tenant's rows (as JSON) and Inventory shards for the comparison after a round trip.
import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { expect } from 'vitest'
import { inventoryStub } from '../../durable-objects/inventory/shards'
import { createDatabase } from '../../workers/db/client'
import { pngImage } from '../helpers/image-fixtures'
import { eventually } from './ai-helpers'
import { shopperSocket, startChat } from './chat-helpers'
import { openShop, stockedVariant, type Shop } from './commerce-helpers'
import { addMember, api, BASE, unique, type Account } from './helpers'
import { act, orderOf, withDb } from './order-helpers'
import { createEndpoint, receiver } from './webhook-helpers'

export interface ArchiveView {
  id: string
  kind: string
  state: string
  progress: Record<string, number>
  error: string | null
  downloadUrl: string | null
}

/** A shop with categories (nested), an attribute, products with images (and vectors), stock moves, a customer with an address, an order paid, fulfilled and refunded, a chat with messages, a webhook endpoint, a shipping method and a second member. */
export async function populatedShop(): Promise<{ shop: Shop; admin: Account; skus: string[]; imageIds: string[] }> {
  const shop = await openShop({ currency: 'EUR', storefrontOrigins: ['https://shop.example'] })
  const token = shop.owner.accessToken
  const parent = await api<{ id: string }>('/v1/categories', { token, body: { name: unique('Relojes') } })
  const child = await api<{ id: string }>('/v1/categories', { token, body: { name: unique('Buceo'), parentId: parent.body.id } })
  expect(child.res.status).toBe(201)
  expect((await api('/v1/attributes', { token, body: { key: 'material', label: 'Material', type: 'list', options: ['steel', 'gold'] } })).res.status).toBe(201)
  const product = await api<{ id: string; variants: { sku: string }[] }>('/v1/products', {
    token,
    body: { name: unique('Diver'), status: 'active', categoryId: child.body.id, attributes: { material: 'steel' }, variants: [{ sku: unique('SKU'), price: 250_00, currency: 'EUR' }] },
  })
  expect(product.res.status, JSON.stringify(product.body)).toBe(201)
  const form = new FormData()
  form.append('file', new File([pngImage(40, 30)], 'front.png', { type: 'image/png' }))
  form.append('file', new File([pngImage(20, 20, [10, 200, 10])], 'side.png', { type: 'image/png' }))
  const uploaded = await SELF.fetch(`${BASE}/v1/products/${product.body.id}/images`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  expect(uploaded.status).toBe(201)
  const imageIds = ((await uploaded.json()) as { data: { id: string }[] }).data.map((i) => i.id)
  const vector = `[${Array.from({ length: 512 }, (_, i) => ((i % 7) - 3) / 10).join(',')}]`
  await withDb((db) => db.execute(sql`update product_images set embedding = ${vector}::vector, status = 'ready' where id = ${imageIds[0] ?? ''}`))
  await env.MEDIA.put(`t/${shop.owner.tenant.id}/images/${imageIds[0]}/thumb-300.webp`, new Uint8Array([1, 2, 3]), { httpMetadata: { contentType: 'image/webp' } })
  const stocked = await stockedVariant(shop, { price: 1000, currency: 'EUR', stock: { main: 10, backroom: 4 } })
  const moved = await api('/v1/inventory/adjust', { token, body: { lines: [{ sku: stocked.sku, delta: -2 }] }, headers: { 'idempotency-key': crypto.randomUUID() } })
  expect(moved.res.status, JSON.stringify(moved.body)).toBeLessThan(300)
  const customer = await api('/v1/customers', { token, body: { email: `${unique('c')}@example.com`, firstName: 'Ana', addresses: [{ kind: 'shipping', name: 'Ana Ruiz', line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES' }] } })
  expect(customer.res.status, JSON.stringify(customer.body)).toBe(201)
  const order = await orderOf(shop, stocked.sku, 3)
  expect((await act(shop, order.id, 'payments', { method: 'cash', amount: order.totals.total })).res.status).toBe(200)
  const lineId = order.lines[0]?.id ?? ''
  expect((await act(shop, order.id, 'fulfillments', { lines: [{ lineId, quantity: 2 }], carrier: 'DHL', trackingNumber: 'JD1' })).res.status).toBe(200)
  expect((await act(shop, order.id, 'refunds', { amount: 1000, lines: [{ lineId, quantity: 1 }], restock: true })).res.status).toBe(200)
  expect((await api('/v1/shipping-methods', { token, body: { name: 'Standard', price: 500, currency: 'EUR' } })).res.status).toBe(201)
  await createEndpoint(shop.owner, { url: receiver().url })
  const chat = await startChat(shop)
  const { socket } = await shopperSocket(shop, chat)
  socket.send({ type: 'message', clientId: 'q1', text: 'hola' })
  await socket.next('message')
  socket.close()
  await eventually(async () => ((await tenantRows('chat_messages', shop.owner.tenant.id)).length > 0 ? true : undefined))
  const admin = await addMember(shop.owner, 'admin')
  return { shop, admin, skus: [product.body.variants[0]?.sku ?? '', stocked.sku], imageIds }
}

/** Runs the job's alarm until its status route reports it finished; returns the final status. */
export async function drainArchive(owner: Account, kind: 'exports' | 'imports', id: string): Promise<ArchiveView> {
  const stub = env.TENANT_ARCHIVE.get(env.TENANT_ARCHIVE.idFromName(id))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    await runDurableObjectAlarm(stub)
    const { body } = await api<ArchiveView>(`/v1/tenant/${kind}/${id}`, { token: owner.accessToken })
    if (body.state === 'completed' || body.state === 'failed') return body
  }
  throw new Error(`archive ${id} did not finish`)
}

/** Every row of `table` for the tenant, as JSON, sorted by its text. */
export async function tenantRows(table: string, tenantId: string): Promise<Record<string, unknown>[]> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    const result = await client.db.execute<{ r: Record<string, unknown> }>(sql`select to_jsonb(t) as r from ${sql.identifier(table)} t where t.tenant_id = ${tenantId}`)
    return result.rows.map((row) => row.r).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  } finally {
    await client.close()
  }
}

/** A shard's levels and ledger, read through the object. */
export async function shardState(tenantId: string, shard = 0): Promise<{ levels: unknown[]; ledger: unknown[] }> {
  const stub = inventoryStub(env, tenantId, shard)
  const levels = await stub.archivePage({ table: 'levels' })
  const ledger = await stub.archivePage({ table: 'ledger' })
  if (!levels.ok || !ledger.ok) throw new Error('the shard refused to page')
  return { levels: levels.rows, ledger: ledger.rows }
}
