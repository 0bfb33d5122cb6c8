// Shared steps of the checkout and order tests: a cart with lines, a checkout, the Cart object's alarm, direct SQL.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { expect } from 'vitest'
import { createDatabase, type Database } from '../../workers/db/client'
import { api, apiRetryingBusy } from './helpers'
import type { Shop } from './commerce-helpers'

export type Line = { id: string; sku: string; variantId: string; quantity: number; unitPrice: number; lineTotal: number; location: string; fulfilledQuantity: number; refundedQuantity: number }
export type Order = {
  id: string
  number: number
  status: string
  paymentStatus: string
  fulfillmentStatus: string
  stockState: string
  customerId: string | null
  email: string | null
  totals: { subtotal: number; shipping: number; tax: number; total: number }
  paidAmount: number
  refundedAmount: number
  holdExpiresAt: string | null
  lines: Line[]
  refunds: { restockedAt: string | null }[]
  timeline: { type: string; actor: { type: string; id: string } }[]
}
export type ErrorBody = { error: { code: string; message: string; details?: unknown } }
export type CartBody = { id: string; secret?: string; status: string; orderId: string | null; lines: { id: string; sku: string }[] }

/** A valid shipping address. */
export const ADDRESS = { name: 'Ana López', line1: 'Av. Reforma 1', city: 'CDMX', postalCode: '06600', country: 'MX' }

/** A cart of `shop` with `lines` added; with the publishable key the body carries its secret. */
export async function cartWith(shop: Shop, lines: { sku: string; quantity: number; location?: string }[], credential: { apiKey?: string; token?: string } = { apiKey: shop.serverKey }): Promise<CartBody> {
  const created = await apiRetryingBusy<CartBody>('/v1/carts', { ...credential, body: { currency: 'EUR' } })
  expect(created.res.status).toBe(201)
  const headers: Record<string, string> = created.body.secret ? { 'x-cart-secret': created.body.secret } : {}
  let cart = created.body
  for (const line of lines) {
    const added = await api<CartBody>(`/v1/carts/${cart.id}/items`, { ...credential, headers, body: line })
    expect(added.res.status, JSON.stringify(added.body)).toBe(200)
    cart = { ...added.body, ...(created.body.secret ? { secret: created.body.secret } : {}) }
  }
  return cart
}

/** Calls checkout; the key defaults to a fresh one. */
export function checkout<T = Order & ErrorBody>(shop: Shop, cartId: string, body: Record<string, unknown> = { email: 'ana@example.com', shippingAddress: ADDRESS }, options: { key?: string | null; apiKey?: string; secret?: string } = {}) {
  const headers: Record<string, string> = {}
  if (options.key !== null) headers['idempotency-key'] = options.key ?? crypto.randomUUID()
  if (options.secret) headers['x-cart-secret'] = options.secret
  return api<T>(`/v1/carts/${cartId}/checkout`, { apiKey: options.apiKey ?? shop.serverKey, headers, body })
}

/** A checked-out order of one line of `sku` × `quantity`. */
export async function orderOf(shop: Shop, sku: string, quantity: number): Promise<Order> {
  const cart = await cartWith(shop, [{ sku, quantity }])
  const placed = await checkout<Order>(shop, cart.id)
  expect(placed.res.status, JSON.stringify(placed.body)).toBe(201)
  return placed.body
}

/** Reads an order. */
export async function readOrder(shop: Shop, id: string): Promise<Order> {
  const { res, body } = await api<Order>(`/v1/orders/${id}`, { token: shop.owner.accessToken })
  expect(res.status).toBe(200)
  return body
}

/** Posts an order action (payments, refunds, fulfillments, cancel). */
export function act<T = Order & ErrorBody>(shop: Shop, orderId: string, action: string, body: unknown = {}) {
  return api<T>(`/v1/orders/${orderId}/${action}`, { apiKey: shop.serverKey, body })
}

/** The Cart object that holds an order's stock: the cart's, or the sale's own (named by the order id). */
export function holder(shop: Shop, objectId: string) {
  return env.CART.getByName(`${shop.owner.tenant.id}:${objectId}`)
}

/** Runs the object's alarm now, as the runtime would once it is due. */
export async function fireAlarm(shop: Shop, objectId: string): Promise<void> {
  const stub = holder(shop, objectId)
  if (!(await runDurableObjectAlarm(stub))) await runInDurableObject(stub, (instance) => instance.alarm())
}

/** Runs `work` with a database client of its own. */
export async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    return await work(client.db)
  } finally {
    await client.close()
  }
}

/** The ledger reasons of `sku`, oldest first. */
export async function ledgerReasons(shop: Shop, sku: string): Promise<string[]> {
  const { body } = await api<{ data: { reason: string }[] }>(`/v1/inventory/${encodeURIComponent(sku)}/ledger`, { token: shop.owner.accessToken })
  return body.data.map((e) => e.reason).reverse()
}
