// The point of sale's arithmetic and look-ups: a scanned SKU becomes a priced line with its stock per location, and the
// running total follows the tenant's tax settings the same way the API computes a sale (workers/commerce/carts.ts).
import { api } from '../api/client'
import { ApiError } from '../api/errors'
import type { Schemas } from '../api/schema'

/** One line of the sale being rung up; `location` '' lets the API pick by the tenant's priority. */
export interface PosLine {
  sku: string
  name: string
  unitPrice: number
  currency: string
  quantity: number
  location: string
  levels: { location: string; available: number }[]
}

/** The tenant's tax settings as a sale uses them (invalid values count as none, as on the server). */
export function taxSettings(settings: Record<string, unknown>): { rate: number; included: boolean } {
  const rate = settings.taxRateBasisPoints
  return {
    rate: typeof rate === 'number' && Number.isInteger(rate) && rate >= 0 && rate <= 10_000 ? rate : 0,
    included: settings.pricesIncludeTax === true,
  }
}

/** Subtotal, tax and total of `lines` (integer minor units, rounding as the API does). */
export function saleTotals(lines: PosLine[], tax: { rate: number; included: boolean }): { subtotal: number; tax: number; total: number } {
  const subtotal = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0)
  if (tax.included) return { subtotal, tax: subtotal - Math.round((subtotal * 10_000) / (10_000 + tax.rate)), total: subtotal }
  const amount = Math.round((subtotal * tax.rate) / 10_000)
  return { subtotal, tax: amount, total: subtotal + amount }
}

/** The SKU's product, price and stock per location; ApiError `unknown_sku` when the shop has no such SKU on sale. */
export async function lookUpSku(sku: string): Promise<PosLine> {
  const stock = await api.get('/v1/inventory', { query: { sku, include: 'product', limit: 100 } })
  const levels = stock.data.filter((level) => level.sku === sku)
  const productId = levels.find((level) => level.product)?.product?.productId
  if (!productId) throw new ApiError(404, { code: 'unknown_sku', message: `No product has SKU ${sku}`, details: { sku } })
  const product: Schemas['Product'] = await api.get('/v1/products/{id}', { path: { id: productId } })
  const variant = product.variants.find((v) => v.sku === sku)
  if (!variant || !variant.active || product.status !== 'active') throw new ApiError(404, { code: 'unknown_sku', message: `SKU ${sku} is not on sale`, details: { sku } })
  return {
    sku,
    name: variant.name ? `${product.name} · ${variant.name}` : product.name,
    unitPrice: variant.price,
    currency: variant.currency,
    quantity: 1,
    location: '',
    levels: levels.map((level) => ({ location: level.location, available: level.available })),
  }
}
