// A read model of the Cart objects for the admin list of active carts; the Cart object stays the truth for stock.
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const CART_SUMMARY_STATUSES = ['active', 'expired', 'checked_out'] as const

/** One row per cart, written by the Worker after each cart call answers (and by the cart's alarm when it expires). */
export const cartSummaries = pgTable(
  'cart_summaries',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    currency: text('currency').notNull(),
    customerId: uuid('customer_id'),
    email: text('email'),
    status: text('status', { enum: CART_SUMMARY_STATUSES }).notNull(),
    linesCount: integer('lines_count').notNull().default(0),
    /** Units of the lines that still hold a reservation. */
    unitsReserved: integer('units_reserved').notNull().default(0),
    /** Minor units of `currency`. */
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The cart's own `updatedAt`: a write carrying an older one never overwrites a newer row. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('cart_summaries_tenant_active_idx').on(t.tenantId, t.status, t.updatedAt.desc(), t.id.desc())],
)
