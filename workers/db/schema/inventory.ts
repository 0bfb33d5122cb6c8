// Read model of stock levels, published by the Inventory Durable Objects through their outbox; Postgres never decides stock.
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const inventoryLevels = pgTable(
  'inventory_levels',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    location: text('location').notNull(),
    onHand: integer('on_hand').notNull(),
    reserved: integer('reserved').notNull(),
    available: integer('available').notNull(),
    lowStockThreshold: integer('low_stock_threshold'),
    /** The object's change sequence for this level: a flush only ever moves a row forward, so retries are harmless. */
    version: bigint('version', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sku, t.location] }), index('inventory_levels_tenant_available_idx').on(t.tenantId, t.available)],
)
