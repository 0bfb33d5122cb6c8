// What the Cart object stores and answers: its lines, its state and the results of its RPC methods.
import type { OrderDraft } from '../../workers/commerce/orders/draft'
import type { ErrorDetails } from '../inventory/results'

/** Where a cart stands: only `active` carts hold stock and take changes. */
export type CartStatus = 'active' | 'expired' | 'checked_out'

/** What the Worker read from the catalog about a variant when a line is added. */
export interface PricedItem {
  variantId: string
  productId: string
  productName: string
  variantName: string | null
  options: Record<string, string>
  unitPrice: number
  currency: string
}

/** One line of a cart and the reservation that holds its stock. */
export interface CartLine extends PricedItem {
  id: string
  sku: string
  quantity: number
  location: string
  shard: number
  reservationId: string | null
  lineTotal: number
}

/** The whole cart as the object reports it (the Worker strips `secretHash` before answering). */
export interface CartState {
  id: string
  tenantId: string
  currency: string
  status: CartStatus
  customerId: string | null
  email: string | null
  secretHash: string | null
  orderId: string | null
  expiresAt: number
  createdAt: number
  updatedAt: number
  lines: CartLine[]
  subtotal: number
}

/** Error codes a cart answers with; each is an API error code. */
export type CartErrorCode = 'not_found' | 'invalid_request' | 'unknown_sku' | 'insufficient_stock' | 'cart_expired' | 'cart_checked_out' | 'cart_empty' | 'conflict'

/** A result: the cart with `ok: true`, or an error. */
export type CartResult = { ok: true; cart: CartState } | { ok: false; error: { code: CartErrorCode; message: string; details?: ErrorDetails } }

/** Input of `create`. */
export interface CreateCartInput {
  tenantId: string
  cartId: string
  currency: string
  customerId: string | null
  email: string | null
  secretHash: string | null
  ttlSeconds: number
}

/** Input of `addLine`: the SKU's shard, the tenant's location priority (used when no location is named) and the priced item. */
export interface AddLineInput {
  sku: string
  quantity: number
  location: string | null
  locationPriority: string[]
  shard: number
  ttlSeconds: number
  item: PricedItem
}

/** Input of `checkout`: the order the Worker drafted from the cart it read, and the lines it expects the cart to still have. */
export interface CheckoutInput {
  key: string
  /** How long the stock waits for payment, in seconds. */
  holdSeconds: number
  expected: { lineId: string; quantity: number }[]
  draft: OrderDraft
}

/** Input of `holdForSale`: a sale's draft and, aligned with its lines, where each line may take its stock. */
export interface SaleHoldInput {
  draft: OrderDraft
  stock: { shard: number; locations: string[] }[]
  ttlSeconds: number
}

/** A hold's result: the draft the object keeps (the first one, on a retry), or an error. */
export type HoldResult = { ok: true; draft: OrderDraft } | { ok: false; error: { code: CartErrorCode; message: string; details?: ErrorDetails } }
