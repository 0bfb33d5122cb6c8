// The tenant's commerce settings (`tenants.settings`): storefront origins, cart TTL, location priority, tax and the payment window.
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '../db/client'
import { tenants } from '../db/schema/tenants'

/** Cart reservations live this long unless the tenant sets `cartTtlMinutes` (renewed by activity). */
export const DEFAULT_CART_TTL_MINUTES = 30
/** Checkout holds the stock this long for payment unless the tenant sets `paymentWindowHours`. */
export const DEFAULT_PAYMENT_WINDOW_HOURS = 24

const origin = z.string().regex(/^https?:\/\/[^/\s]+$/)

const CommerceSettingsSchema = z.object({
  storefrontOrigins: z.array(origin).max(50).catch([]).default([]),
  cartTtlMinutes: z.int().min(1).max(24 * 60).catch(DEFAULT_CART_TTL_MINUTES).default(DEFAULT_CART_TTL_MINUTES),
  locationPriority: z.array(z.string().min(1).max(200)).min(1).max(50).catch(['main']).default(['main']),
  taxRateBasisPoints: z.int().min(0).max(10_000).catch(0).default(0),
  pricesIncludeTax: z.boolean().catch(false).default(false),
  paymentWindowHours: z.int().min(1).max(24 * 7).catch(DEFAULT_PAYMENT_WINDOW_HOURS).default(DEFAULT_PAYMENT_WINDOW_HOURS),
})

/** What carts, checkout and the storefront CORS check read from the tenant's settings; bad values fall back to defaults. */
export type CommerceSettings = z.output<typeof CommerceSettingsSchema>

/** Parses a settings object into commerce settings (unknown keys ignored, invalid values replaced by defaults). */
export function commerceSettingsFrom(settings: Record<string, unknown>): CommerceSettings {
  return CommerceSettingsSchema.parse(settings)
}

/** Reads the tenant's commerce settings from Postgres (one indexed row; not cached, so a change applies at once). */
export async function loadCommerceSettings(db: Database, tenantId: string): Promise<CommerceSettings> {
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId))
  return commerceSettingsFrom(row?.settings ?? {})
}
