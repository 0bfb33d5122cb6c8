// Worker-side carts: addressing the tenant's Cart objects, reading prices from the catalog, the cart secret of
// publishable-key carts, and totals (subtotal, tax, shipping, total) in integer minor units.
import { and, eq } from 'drizzle-orm'
import type { CartResult, CartState, PricedItem } from '../../durable-objects/cart'
import type { Database } from '../db/client'
import { products, variants } from '../db/schema/catalog'
import { ApiError } from '../lib/errors'
import { sha256Hex } from '../lib/crypto'
import type { CommerceSettings } from './settings'

/** The typed stub of one cart; the name carries the tenant, so another tenant's id finds an empty object (404). */
export function cartStub(env: Pick<Env, 'CART'>, tenantId: string, cartId: string) {
  return env.CART.getByName(`${tenantId}:${cartId}`)
}

/** The cart of a successful result; a failure leaves as the API error of the same code. */
export function cartOrThrow(result: CartResult): CartState {
  if (result.ok) return result.cart
  throw new ApiError(result.error.code, result.error.message, result.error.details === undefined ? {} : { details: result.error.details })
}

/**
 * Checks who may see a cart: a publishable key needs the cart's secret (`X-Cart-Secret`); server keys and members reach
 * every cart. A missing or wrong secret is the same 404 as a missing cart, so cart ids cannot be probed.
 */
export async function assertCartAccess(cart: CartState, publishable: boolean, secret: string | undefined): Promise<void> {
  if (!publishable) return
  if (cart.secretHash === null || secret === undefined || (await sha256Hex(secret)) !== cart.secretHash) throw new ApiError('not_found', 'No such cart')
}

/** The variant of `sku` as a cart line prices it; 400 `unknown_sku` unless the variant and its product are active. */
export async function pricedItem(db: Database, tenantId: string, sku: string): Promise<PricedItem & { sku: string }> {
  const [row] = await db
    .select({ variant: variants, productName: products.name, productStatus: products.status })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(and(eq(variants.tenantId, tenantId), eq(variants.sku, sku)))
  if (!row || !row.variant.active || row.productStatus !== 'active') {
    throw new ApiError('unknown_sku', `No active variant with SKU ${sku}`, { details: [{ in: 'body', path: 'sku', message: 'unknown or inactive SKU', code: 'unknown_sku' }] })
  }
  const v = row.variant
  return { sku, variantId: v.id, productId: v.productId, productName: row.productName, variantName: v.name, options: v.options, unitPrice: v.price, currency: v.currency }
}

/** Totals of an amount of goods under the tenant's tax settings: tax inside the prices or added to them. */
export function totals(subtotal: number, shipping: number, settings: Pick<CommerceSettings, 'taxRateBasisPoints' | 'pricesIncludeTax'>) {
  const rate = settings.taxRateBasisPoints
  const taxable = subtotal + shipping
  if (settings.pricesIncludeTax) {
    const tax = taxable - Math.round((taxable * 10_000) / (10_000 + rate))
    return { subtotal, shipping, tax, taxIncluded: true, total: taxable }
  }
  const tax = Math.round((taxable * rate) / 10_000)
  return { subtotal, shipping, tax, taxIncluded: false, total: taxable + tax }
}

/** A cart as the API shows it: no secret hash, times as ISO strings, totals without shipping (chosen at checkout). */
export function cartJson(cart: CartState, settings: CommerceSettings) {
  return {
    id: cart.id,
    status: cart.status,
    currency: cart.currency,
    customerId: cart.customerId,
    email: cart.email,
    orderId: cart.orderId,
    expiresAt: new Date(cart.expiresAt).toISOString(),
    createdAt: new Date(cart.createdAt).toISOString(),
    updatedAt: new Date(cart.updatedAt).toISOString(),
    lines: cart.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      productId: l.productId,
      variantId: l.variantId,
      productName: l.productName,
      variantName: l.variantName,
      options: l.options,
      quantity: l.quantity,
      location: l.location,
      unitPrice: l.unitPrice,
      lineTotal: l.lineTotal,
      reserved: l.reservationId !== null,
    })),
    totals: totals(cart.subtotal, 0, settings),
  }
}
