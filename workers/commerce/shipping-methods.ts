// Shipping methods as checkout prices them: a flat rate in the method's currency, optionally free above a subtotal.
import { and, eq } from 'drizzle-orm'
import { isUuid } from './customers'
import type { Database } from '../db/client'
import { shippingMethods } from '../db/schema/customers'

/** What checkout needs of a shipping method. */
export interface ShippingMethodQuote {
  id: string
  name: string
  price: number
  currency: string
  freeAbove: number | null
}

/** The tenant's active shipping method `id`; undefined when it is unknown, another tenant's, or inactive. */
export async function getShippingMethod(db: Database, tenantId: string, id: string): Promise<ShippingMethodQuote | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await db
    .select({ id: shippingMethods.id, name: shippingMethods.name, price: shippingMethods.price, currency: shippingMethods.currency, freeAbove: shippingMethods.freeAbove })
    .from(shippingMethods)
    .where(and(eq(shippingMethods.id, id), eq(shippingMethods.tenantId, tenantId), eq(shippingMethods.active, true)))
  return row
}

/** The shipping charge of `method` for a cart subtotal: free at or above `freeAbove`, the flat price otherwise. */
export function shippingCharge(method: Pick<ShippingMethodQuote, 'price' | 'freeAbove'>, subtotal: number): number {
  return method.freeAbove !== null && subtotal >= method.freeAbove ? 0 : method.price
}
