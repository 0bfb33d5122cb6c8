// Outbound webhooks: the tenant's endpoints, and the delivery log (one message per endpoint and event, every attempt)
// that the endpoint's Durable Object writes; the object's SQLite owns the queue, these tables are its record for 30 days.
import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const WEBHOOK_MESSAGE_STATUSES = ['pending', 'delivered', 'failed'] as const
export type WebhookMessageStatus = (typeof WEBHOOK_MESSAGE_STATUSES)[number]

const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    url: text('url').notNull(),
    description: text('description'),
    /** Event types delivered here; `{*}` means every type. */
    eventTypes: text('event_types').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Signing secret (`whsec_…`), sealed with AI_CREDENTIALS_KEY like provider keys. */
    secretSealed: text('secret_sealed').notNull(),
    /** The secret before the last rotation, still signing until `previous_secret_expires_at`. */
    previousSecretSealed: text('previous_secret_sealed'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    /** Why the endpoint was turned off by delivery (`gone`: it answered 410; `failing`: 5 days of failures), and when. */
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_tenant_created_idx').on(t.tenantId, t.createdAt, t.id)],
)

export const webhookMessages = pgTable(
  'webhook_messages',
  {
    id: uuid('id').primaryKey(),
    tenantId: tenantId(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event id, sent as `webhook-id` on every attempt. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: WEBHOOK_MESSAGE_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex('webhook_messages_endpoint_event_idx').on(t.endpointId, t.eventId),
    index('webhook_messages_endpoint_created_idx').on(t.endpointId, t.createdAt, t.id),
    index('webhook_messages_created_idx').on(t.createdAt),
  ],
)

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    tenantId: tenantId(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => webhookMessages.id, { onDelete: 'cascade' }),
    succeeded: boolean('succeeded').notNull(),
    /** The receiver's HTTP status; null when there was none (refused address, timeout, connection failure). */
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms').notNull(),
    /** The first 1 KB of the response body, or why there was no response. */
    response: text('response').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('webhook_attempts_message_idx').on(t.messageId, t.attemptedAt), index('webhook_attempts_attempted_idx').on(t.attemptedAt)],
)
