// Notifications to the people of a tenant: one row per (source, user, channel), made from domain events by the
// tenant's Notifier object (in-app rows are the bell's list, email rows the send record), and per-user preferences.
import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenants, users } from './tenants'

export const NOTIFICATION_CHANNELS = ['in_app', 'email'] as const
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]

/** Email rows: waiting, sent, given up after retries, or not sent because no provider is configured. */
export const NOTIFICATION_EMAIL_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** What it was made from: the event id, or a key such as `webhook.endpoint_disabled:<endpoint>:<ms>`; unique per user and channel. */
    sourceKey: text('source_key').notNull(),
    eventId: uuid('event_id'),
    /** The event type (or `webhook.endpoint_disabled`). */
    type: text('type').notNull(),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    locale: text('locale').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** Email rows only. */
    emailStatus: text('email_status', { enum: NOTIFICATION_EMAIL_STATUSES }),
    emailAttempts: integer('email_attempts').notNull().default(0),
    emailError: text('email_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_source_user_channel_key').on(t.sourceKey, t.userId, t.channel),
    index('notifications_user_list_idx').on(t.tenantId, t.userId, t.channel, t.createdAt, t.id),
    index('notifications_unread_idx').on(t.tenantId, t.userId).where(sql`${t.readAt} is null and ${t.channel} = 'in_app'`),
    index('notifications_email_pending_idx').on(t.tenantId, t.createdAt).where(sql`${t.emailStatus} = 'pending'`),
  ],
)

export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    inApp: boolean('in_app').notNull(),
    email: boolean('email').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId, t.type] })],
)
