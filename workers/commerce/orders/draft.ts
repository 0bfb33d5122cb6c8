// An order before Postgres has it: everything a checkout or a sale decided, serializable so the Cart object can keep it
// and finish the insert from its alarm when the Worker died between holding the stock and writing the order.
import type { HoldResult, PricedItem } from '../../../durable-objects/cart/types'
import type { AddressSnapshot, PaymentMethod, ShippingSnapshot } from '../../db/schema/orders'
import { ApiError } from '../../lib/errors'

/** Who changed an order: a member, an API key, or the system (the Cart object's alarm). */
export interface OrderActor {
  type: 'user' | 'api_key' | 'system'
  id: string
}

/** One line as the order keeps it, with the reservation that holds its stock. */
export interface DraftLine {
  id: string
  sku: string
  productId: string | null
  variantId: string | null
  productName: string
  variantName: string | null
  options: Record<string, string>
  unitPrice: number
  quantity: number
  lineTotal: number
  location: string
  shard: number
  reservationId: string | null
}

/** A new draft line of `quantity` units of a priced item, taken from `stock` (location, shard, reservation). */
export function draftLine(sku: string, item: PricedItem, quantity: number, stock: Pick<DraftLine, 'location' | 'shard' | 'reservationId'>): DraftLine {
  return {
    id: crypto.randomUUID(),
    sku,
    productId: item.productId,
    variantId: item.variantId,
    productName: item.productName,
    variantName: item.variantName,
    options: item.options,
    unitPrice: item.unitPrice,
    quantity,
    lineTotal: item.unitPrice * quantity,
    location: stock.location,
    shard: stock.shard,
    reservationId: stock.reservationId,
  }
}

/** Money of an order in integer minor units. */
export interface DraftTotals {
  subtotal: number
  shipping: number
  tax: number
  taxIncluded: boolean
  total: number
}

/** A payment taken with the order (point of sale). */
export interface DraftPayment {
  method: PaymentMethod
  amount: number
  reference: string | null
}

/** The whole order as decided before it is written. */
export interface OrderDraft {
  orderId: string
  tenantId: string
  channel: 'online' | 'pos'
  idempotencyKey: string
  cartId: string | null
  customerId: string | null
  email: string | null
  customerName: string | null
  currency: string
  lines: DraftLine[]
  totals: DraftTotals
  shippingMethod: ShippingSnapshot | null
  shippingAddress: AddressSnapshot | null
  billingAddress: AddressSnapshot | null
  notes: string | null
  /** Epoch ms until which the stock waits for payment; null for a sale paid on the spot. */
  holdExpiresAt: number | null
  payment: DraftPayment | null
  actor: OrderActor
}

/** The system actor of work the Cart object's alarm finishes. */
export const SYSTEM_ACTOR: OrderActor = { type: 'system', id: 'order-settlement' }

/** The ledger reason of an order's stock movements, so the stock history names the order. */
export function stockReason(orderNumber: number): string {
  return `order #${orderNumber}`
}

/** The draft a Cart object kept; its refusal leaves as the API error of the same code. */
export function draftOrThrow(result: HoldResult): OrderDraft {
  if (result.ok) return result.draft
  throw new ApiError(result.error.code, result.error.message, result.error.details === undefined ? {} : { details: result.error.details })
}
