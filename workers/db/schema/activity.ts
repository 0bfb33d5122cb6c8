// What tenants did: metered usage per day and resource (flushed in batches by the RateLimiter objects) and the audit log.
import { bigint, date, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

/** Resources that are metered per tenant and day. */
export const USAGE_RESOURCES = ['api_requests', 'searches', 'embeddings', 'chat_messages'] as const
export type UsageResource = (typeof USAGE_RESOURCES)[number]

export const usageDaily = pgTable(
  'usage_daily',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    resource: text('resource', { enum: USAGE_RESOURCES }).notNull(),
    /** The object that counted (an API key's bucket or the tenant's quota object); each writes absolute counts, so a retried flush is harmless. */
    source: text('source').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.resource, t.source] })],
)

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    actorType: text('actor_type', { enum: ['user', 'api_key'] }).notNull(),
    actorId: uuid('actor_id').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_tenant_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc())],
)
