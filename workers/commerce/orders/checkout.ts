// Checkout: a cart becomes an order. Prices are read again, shipping and customer resolved, then the Cart object moves
// its reservations to the order for the payment window and keeps the draft, and the order is written to Postgres.
// The same Idempotency-Key answers the same order, whichever step a first attempt died at.
import { and, eq } from 'drizzle-orm'
import { MAX_RESERVATION_TTL_SECONDS } from '../../../durable-objects/inventory/limits'
import { RESERVATION_GRACE_SECONDS } from '../../../durable-objects/cart/stock'
import type { CartState } from '../../../durable-objects/cart'
import { ORDER_HOLD_GRACE_SECONDS } from '../../../durable-objects/cart/holds'
import type { Database } from '../../db/client'
import { orders, type AddressSnapshot } from '../../db/schema/orders'
import { ApiError } from '../../lib/errors'
import { normalizeAddress, type Address } from '../address'
import { cartStub, pricedItem, totals } from '../carts'
import { findOrCreateCustomerByEmail, getCustomer } from '../customers'
import type { CommerceSettings } from '../settings'
import { getShippingMethod, shippingCharge } from '../shipping-methods'
import { draftLine, draftOrThrow, type DraftLine, type OrderActor, type OrderDraft } from './draft'
import { faultPoint } from './faults'
import { insertOrderFromDraft, type OrderRow } from './store'

/** What the caller sends to check a cart out. */
export interface CheckoutRequest {
  email?: string | undefined
  customerId?: string | undefined
  shippingAddress: Address
  billingAddress?: Address | undefined
  shippingMethodId?: string | undefined
  notes?: string | undefined
  acceptPriceChanges?: boolean | undefined
  /** A publishable-key (storefront) caller: it names the customer by email only, never by id. */
  storefront: boolean
}

/** Longest the stock can wait for payment: the Inventory's reservation limit less the graces that follow the window. */
const MAX_HOLD_SECONDS = MAX_RESERVATION_TTL_SECONDS - ORDER_HOLD_GRACE_SECONDS - RESERVATION_GRACE_SECONDS

/** How long an order's stock waits for payment under the tenant's settings. */
export function holdSecondsOf(settings: Pick<CommerceSettings, 'paymentWindowHours'>): number {
  return Math.min(settings.paymentWindowHours * 3600, MAX_HOLD_SECONDS)
}

const field = (path: string, message: string) => ({ details: [{ in: 'body', path, message, code: 'invalid_value' }] })

/** Lines priced again from the catalog; 409 `price_changed` with the new figures unless the caller accepts them. */
async function repricedLines(db: Database, cart: CartState, settings: CommerceSettings, accept: boolean): Promise<DraftLine[]> {
  const fresh = await Promise.all(cart.lines.map((line) => pricedItem(db, cart.tenantId, line.sku)))
  const lines = cart.lines.map((line, i) => draftLine(line.sku, fresh[i] ?? line, line.quantity, line))
  const changed = cart.lines.flatMap((line, i) => {
    const now = fresh[i]
    return now && (now.unitPrice !== line.unitPrice || now.currency !== cart.currency) ? [{ lineId: line.id, sku: line.sku, oldUnitPrice: line.unitPrice, newUnitPrice: now.unitPrice, currency: now.currency }] : []
  })
  if (changed.some((c) => c.currency !== cart.currency)) throw new ApiError('price_changed', 'A product is now priced in another currency; remove it from the cart', { details: { lines: changed } })
  if (changed.length > 0 && !accept) {
    const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0)
    throw new ApiError('price_changed', 'Prices changed since the items were added; check out again with acceptPriceChanges to accept them', {
      details: { lines: changed, totals: totals(subtotal, 0, settings) },
    })
  }
  return lines
}

/**
 * The customer of the order: the named one (400 if unknown) or the one with the email, created when new. A storefront
 * cannot name a customer by id (that would attach its order to, and show it, someone else's record).
 */
async function resolveCustomer(db: Database, tenantId: string, request: CheckoutRequest, cart: CartState, shipping: AddressSnapshot) {
  if (request.storefront && request.customerId) throw new ApiError('invalid_request', 'A storefront names the customer by email', field('customerId', 'not accepted with a publishable key'))
  const customerId = request.customerId ?? (request.email || request.storefront ? undefined : (cart.customerId ?? undefined))
  if (customerId) {
    const customer = await getCustomer(db, tenantId, customerId)
    if (!customer) throw new ApiError('invalid_request', 'No such customer', field('customerId', 'unknown customer'))
    return { id: customer.id, email: customer.email }
  }
  const email = request.email ?? cart.email
  if (!email) throw new ApiError('invalid_request', 'Give an email or a customerId', field('email', 'email or customerId is required'))
  const found = await findOrCreateCustomerByEmail(db, tenantId, { email, phone: shipping.phone })
  return { id: found.id, email: found.email }
}

/** Builds the order draft of a cart that can be checked out, or answers why it cannot (409) or what is wrong (400). */
async function draftOf(db: Database, cart: CartState, request: CheckoutRequest, settings: CommerceSettings, key: string, actor: OrderActor): Promise<OrderDraft> {
  if (cart.status === 'expired' || cart.expiresAt <= Date.now()) throw new ApiError('cart_expired', 'The cart has expired; add the items again')
  if (cart.lines.length === 0) throw new ApiError('cart_empty', 'The cart has no lines')
  const lines = await repricedLines(db, cart, settings, request.acceptPriceChanges === true)
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0)
  let shippingMethod: OrderDraft['shippingMethod'] = null
  if (request.shippingMethodId) {
    const method = await getShippingMethod(db, cart.tenantId, request.shippingMethodId)
    if (!method) throw new ApiError('invalid_request', 'No such shipping method', field('shippingMethodId', 'unknown shipping method'))
    if (method.currency !== cart.currency) throw new ApiError('invalid_request', `This shipping method charges in ${method.currency}`, field('shippingMethodId', 'currency mismatch'))
    shippingMethod = { id: method.id, name: method.name, price: shippingCharge(method, subtotal) }
  }
  const shippingAddress = normalizeAddress(request.shippingAddress)
  const customer = await resolveCustomer(db, cart.tenantId, request, cart, shippingAddress)
  const holdSeconds = holdSecondsOf(settings)
  return {
    orderId: crypto.randomUUID(),
    tenantId: cart.tenantId,
    channel: 'online',
    idempotencyKey: key,
    cartId: cart.id,
    customerId: customer.id,
    email: customer.email,
    customerName: shippingAddress.name,
    currency: cart.currency,
    lines,
    totals: totals(subtotal, shippingMethod?.price ?? 0, settings),
    shippingMethod,
    shippingAddress,
    billingAddress: request.billingAddress ? normalizeAddress(request.billingAddress) : shippingAddress,
    notes: request.notes ?? null,
    holdExpiresAt: Date.now() + holdSeconds * 1000,
    payment: null,
    actor,
  }
}

/**
 * Checks `cart` out under `key`: the first call drafts the order, moves the reservations to it and writes it; a retry
 * (or a call after the first died half way) finishes the same order. Another cart's key is a 409 `idempotency_conflict`.
 */
export async function checkoutCart(db: Database, env: Pick<Env, 'CART'>, cart: CartState, request: CheckoutRequest, settings: CommerceSettings, key: string, actor: OrderActor): Promise<OrderRow> {
  const [earlier] = await db.select().from(orders).where(and(eq(orders.tenantId, cart.tenantId), eq(orders.idempotencyKey, key)))
  if (earlier) {
    if (earlier.cartId !== cart.id) throw new ApiError('idempotency_conflict', 'This Idempotency-Key was used for another checkout', { details: { orderId: earlier.id } })
    return earlier
  }
  const stub = cartStub(env, cart.tenantId, cart.id)
  let draft: OrderDraft
  if (cart.status === 'checked_out') {
    draft = draftOrThrow(await stub.checkedOutDraft(key))
  } else {
    const drafted = await draftOf(db, cart, request, settings, key, actor)
    const expected = cart.lines.map((l) => ({ lineId: l.id, quantity: l.quantity }))
    draft = draftOrThrow(await stub.checkout({ key, holdSeconds: holdSecondsOf(settings), expected, draft: drafted }))
  }
  faultPoint('after-hold')
  return insertOrderFromDraft(db, draft)
}
