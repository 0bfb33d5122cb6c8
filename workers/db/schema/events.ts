// Domain events, written in the same transaction as the change they describe, for outbound webhooks to deliver later.
import { sql } from 'drizzle-orm'
import { customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

/** Every domain event type; the one shared union lives in workers/commerce/events.ts. */
export const DOMAIN_EVENT_TYPES = [
  'product.created',
  'product.updated',
  'product.deleted',
  'image.indexed',
  'image.failed',
  'import.completed',
  'stock.low',
  'stock.out',
  'stock.restocked',
  'reservation.expired',
  'order.created',
  'order.paid',
  'order.fulfilled',
  'order.cancelled',
  'order.refunded',
  'customer.created',
  'cart.expired',
  'order.disputed',
  'order.checkout_expired',
  'subscription.updated',
  'subscription.cancelled',
  'subscription.trial_will_end',
  'invoice.paid',
  'payment.failed',
  'payments_account.updated',
  'chat.handoff_requested',
] as const

/** Postgres' 64-bit transaction id (`xid8`), read as its decimal text so no digit is lost in JavaScript. */
const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' })

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    type: text('type', { enum: DOMAIN_EVENT_TYPES }).notNull(),
    /** What the event is about (`order`, `customer`, `cart`) and its id. */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The writing transaction's id: the event readers' cursor is `(xact_id, id)` and only passes transactions below every
     * snapshot's xmin, which have all finished (durable-objects/lib/event-cursor.ts).
     */
    xactId: xid8('xact_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [index('events_tenant_created_idx').on(t.tenantId, t.createdAt, t.id), index('events_tenant_xact_idx').on(t.tenantId, t.xactId, t.id)],
)
