// Point of sale: one call makes a paid order and takes its units out of stock, all or nothing. A Cart object named after
// the sale reserves every line (or none), keeps the draft, and its alarm finishes the sale if the Worker dies half way;
// the order id derives from the Idempotency-Key, so a retry reaches the same object and answers the same order.
import { and, eq } from 'drizzle-orm'
import { shardFor } from '../../../durable-objects/inventory/shards'
import type { Database } from '../../db/client'
import { orders, type PaymentMethod } from '../../db/schema/orders'
import { tenantShardCount } from '../../inventory/shard-count'
import { sha256Hex } from '../../lib/crypto'
import { ApiError } from '../../lib/errors'
import { cartStub, pricedItem, totals } from '../carts'
import { getCustomer } from '../customers'
import type { CommerceSettings } from '../settings'
import { draftLine, draftOrThrow, type OrderActor, type OrderDraft } from './draft'
import { faultPoint } from './faults'
import { settleOrder } from './settle'
import { insertOrderFromDraft, linesOf, requireOrder, type OrderRow } from './store'

/** How long a sale's reservations wait for the order to be written before the Inventory objects let them go. */
const SALE_HOLD_SECONDS = 15 * 60

/** What the till sends. */
export interface SaleRequest {
  lines: { sku: string; quantity: number; location?: string | undefined }[]
  customerId?: string | undefined
  notes?: string | undefined
  payment: { method: PaymentMethod; amount?: number | undefined; reference?: string | undefined }
}

/** A stable order id for a tenant's Idempotency-Key (a uuid made of the key's SHA-256). */
export async function saleOrderId(tenantId: string, key: string): Promise<string> {
  const hex = await sha256Hex(`sale:${tenantId}:${key}`)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const field = (path: string, message: string) => ({ details: [{ in: 'body', path, message, code: 'invalid_value' }] })

async function draftOf(db: Database, tenantId: string, orderId: string, key: string, request: SaleRequest, settings: CommerceSettings, actor: OrderActor): Promise<OrderDraft> {
  const items = await Promise.all(request.lines.map((line) => pricedItem(db, tenantId, line.sku)))
  const currency = items[0]?.currency ?? 'EUR'
  const mixed = items.findIndex((item) => item.currency !== currency)
  if (mixed >= 0) throw new ApiError('invalid_request', 'A sale is in one currency', field(`lines.${mixed}.sku`, 'currency mismatch'))
  const shardCount = await tenantShardCount(tenantId, () => db)
  const lines = request.lines.map((line, i) => {
    const item = items[i]
    if (!item) throw new Error('unpriced line')
    return draftLine(item.sku, item, line.quantity, { location: line.location ?? '', shard: shardFor(item.sku, shardCount), reservationId: null })
  })
  const sum = totals(lines.reduce((s, l) => s + l.lineTotal, 0), 0, settings)
  const amount = request.payment.amount ?? sum.total
  if (amount > sum.total) throw new ApiError('overpayment', `The sale comes to ${sum.total}`, { details: { total: sum.total, amount } })
  if (amount < sum.total) throw new ApiError('invalid_request', `A sale is paid in full: ${sum.total}`, field('payment.amount', `must be ${sum.total}`))
  let customer: { id: string; email: string } | null = null
  if (request.customerId) {
    const found = await getCustomer(db, tenantId, request.customerId)
    if (!found) throw new ApiError('invalid_request', 'No such customer', field('customerId', 'unknown customer'))
    customer = { id: found.id, email: found.email }
  }
  return {
    orderId,
    tenantId,
    channel: 'pos',
    idempotencyKey: key,
    cartId: null,
    customerId: customer?.id ?? null,
    email: customer?.email ?? null,
    customerName: null,
    currency,
    lines,
    totals: sum,
    shippingMethod: null,
    shippingAddress: null,
    billingAddress: null,
    notes: request.notes ?? null,
    holdExpiresAt: null,
    payment: { method: request.payment.method, amount, reference: request.payment.reference ?? null },
    actor,
  }
}

/** Sells `request` under `key`: reserves every line, writes the paid order, commits the stock; a retry finishes the same sale. */
export async function sell(db: Database, env: Pick<Env, 'CART' | 'INVENTORY'>, tenantId: string, key: string, request: SaleRequest, settings: CommerceSettings, actor: OrderActor): Promise<OrderRow> {
  const orderId = await saleOrderId(tenantId, key)
  const [earlier] = await db.select().from(orders).where(and(eq(orders.tenantId, tenantId), eq(orders.idempotencyKey, key)))
  if (earlier && earlier.id !== orderId) throw new ApiError('idempotency_conflict', 'This Idempotency-Key was used for a checkout', { details: { orderId: earlier.id } })
  if (earlier) {
    const sold = (await linesOf(db, earlier.id)).map((l) => `${l.sku}×${l.quantity}`).join(',')
    if (sold !== request.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')) {
      throw new ApiError('idempotency_conflict', 'This Idempotency-Key was used for a sale of other lines', { details: { orderId: earlier.id } })
    }
  } else {
    const draft = await draftOf(db, tenantId, orderId, key, request, settings, actor)
    const stock = request.lines.map((line, i) => ({ shard: draft.lines[i]?.shard ?? 0, locations: line.location ? [line.location] : settings.locationPriority }))
    const held = draftOrThrow(await cartStub(env, tenantId, orderId).holdForSale({ draft, stock, ttlSeconds: SALE_HOLD_SECONDS }))
    faultPoint('after-hold')
    await insertOrderFromDraft(db, held)
  }
  faultPoint('after-money')
  await settleOrder(db, env, tenantId, orderId)
  return requireOrder(db, tenantId, orderId)
}
