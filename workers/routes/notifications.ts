// The signed-in person's notifications in this tenant: the list with its unread count (newest first, keyset pages),
// marking read (which tells the tenant's realtime channel the new unread count), and preferences per type and channel.
// Listing also wakes the tenant's notifier, so a reader catches up even when a producer's wake-up was lost.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { asMember } from '../auth/context'
import { notificationPreferences, notifications } from '../db/schema/notifications'
import { emailApiConfig } from '../email/http-api'
import { createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, PageQuerySchema, timestampText, toPage } from '../lib/pagination'
import { requireMember } from '../middleware/authenticate'
import { wakeNotifier } from '../notifications/notifier'
import { defaultChoice, NOTIFICATION_TYPES } from '../notifications/types'
import { inAppOf, unreadCount } from '../notifications/unread'
import { unreadChanged } from '../realtime/tenant-channel'
import type { Database } from '../db/client'

const NotificationSchema = z
  .object({
    id: z.uuid(),
    type: z.string().openapi({ description: 'The event type, or `webhook.endpoint_disabled`' }),
    eventId: z.uuid().nullable(),
    title: z.string(),
    body: z.string(),
    locale: z.enum(['es', 'en']),
    data: z.record(z.string(), z.unknown()),
    readAt: z.string().nullable().openapi({ format: 'date-time' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Notification')

const ListSchema = z.object({ data: z.array(NotificationSchema), nextCursor: z.string().nullable(), unreadCount: z.number().int() }).openapi('NotificationPage')

const ReadInputSchema = z
  .union([z.object({ ids: z.array(z.uuid()).min(1).max(200) }).strict(), z.object({ all: z.literal(true) }).strict()])
  .openapi('NotificationReadInput', { description: '`{ids}` marks those (the caller’s own only) read; `{all: true}` marks every one read' })

const PreferenceSchema = z
  .object({
    type: z.enum(NOTIFICATION_TYPES),
    inApp: z.boolean(),
    email: z.boolean(),
  })
  .openapi('NotificationPreference')

const PreferencesSchema = z
  .object({
    data: z.array(PreferenceSchema.extend({ isDefault: z.boolean().openapi({ description: 'true while nothing is saved for this type' }) })),
    emailConfigured: z.boolean().openapi({ description: 'false: no email provider is configured, email choices are kept but nothing is sent' }),
  })
  .openapi('NotificationPreferences')

const PreferencesInputSchema = z
  .object({ preferences: z.array(PreferenceSchema).min(1).max(NOTIFICATION_TYPES.length) })
  .refine((input) => new Set(input.preferences.map((p) => p.type)).size === input.preferences.length, { message: 'each type once', path: ['preferences'] })
  .openapi('NotificationPreferencesInput')

const denied = { 401: errorResponse('Not signed in'), 403: errorResponse('An API key, not a member') }
const member = { tags: ['Notifications'], middleware: requireMember(), security: MEMBER_CREDENTIAL }

const list = createRoute({
  ...member,
  method: 'get',
  path: '/v1/notifications',
  summary: 'The caller’s in-app notifications in this tenant, newest first, with the unread count',
  description: 'The admin UI follows the unread count live on GET /v1/tenant/live and reads this for the list (and as a fallback while the socket is down); a call also wakes the tenant’s notifier.',
  request: { query: PageQuerySchema.extend({ unread: z.enum(['true', 'false']).default('false').openapi({ description: 'true: unread only' }) }) },
  responses: { 200: jsonResponse('A page of notifications', ListSchema), 400: INVALID_CURSOR_RESPONSE, ...denied },
})
const markRead = createRoute({
  ...member,
  method: 'post',
  path: '/v1/notifications/read',
  summary: 'Mark notifications read: some by id, or all',
  request: { body: jsonBody(ReadInputSchema) },
  responses: { 200: jsonResponse('How many changed, and the unread count after', z.object({ updated: z.number().int(), unreadCount: z.number().int() })), 400: errorResponse('Invalid input'), ...denied },
})
const getPreferences = createRoute({
  ...member,
  method: 'get',
  path: '/v1/notifications/preferences',
  summary: 'The caller’s channels per notification type (saved, or the defaults of their role)',
  description: 'Defaults: owners get `stock.out`, `payment.failed`, `chat.handoff_requested` and `webhook.endpoint_disabled` in the app and by email; admins get `webhook.endpoint_disabled`; nothing else.',
  responses: { 200: jsonResponse('Every type with its channels', PreferencesSchema), ...denied },
})
const putPreferences = createRoute({
  ...member,
  method: 'put',
  path: '/v1/notifications/preferences',
  summary: 'Save the caller’s channels for the given types (others keep their current choice)',
  request: { body: jsonBody(PreferencesInputSchema) },
  responses: { 200: jsonResponse('Every type with its channels', PreferencesSchema), 400: errorResponse('Invalid input'), ...denied },
})

function notificationJson(n: typeof notifications.$inferSelect) {
  return {
    id: n.id,
    type: n.type,
    eventId: n.eventId,
    title: n.title,
    body: n.body,
    locale: n.locale === 'en' ? ('en' as const) : ('es' as const),
    data: n.data,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  }
}

const mine = inAppOf

async function preferencesOf(db: Database, env: Env, tenantId: string, userId: string, role: Parameters<typeof defaultChoice>[0]) {
  const saved = await db.select().from(notificationPreferences).where(and(eq(notificationPreferences.tenantId, tenantId), eq(notificationPreferences.userId, userId)))
  const byType = new Map(saved.map((p) => [p.type, p]))
  const data = NOTIFICATION_TYPES.map((type) => {
    const row = byType.get(type)
    return row ? { type, inApp: row.inApp, email: row.email, isDefault: false } : { type, ...defaultChoice(role, type), isDefault: true }
  })
  return { data, emailConfigured: emailApiConfig(env) !== null }
}

export const notificationRoutes = createRouter()
  .openapi(list, async (c) => {
    const caller = asMember(c.var.caller)
    const { limit, cursor, unread } = c.req.valid('query')
    const db = c.var.db.get()
    const rows = await db
      .select({ n: notifications, createdAtText: timestampText(notifications.createdAt) })
      .from(notifications)
      .where(and(mine(caller.tenantId, caller.userId), unread === 'true' ? isNull(notifications.readAt) : undefined, olderThan(notifications.createdAt, notifications.id, cursor)))
      .orderBy(...newestFirst(notifications.createdAt, notifications.id))
      .limit(limit + 1)
    const page = toPage(rows, limit, (r) => notificationJson(r.n), (r) => [r.createdAtText, r.n.id])
    c.executionCtx.waitUntil(wakeNotifier(c.env, caller.tenantId))
    return c.json({ ...page, unreadCount: await unreadCount(db, caller.tenantId, caller.userId) }, 200)
  })
  .openapi(markRead, async (c) => {
    const caller = asMember(c.var.caller)
    const input = c.req.valid('json')
    const db = c.var.db.get()
    const which = 'ids' in input ? inArray(notifications.id, input.ids) : undefined
    const changed = await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(mine(caller.tenantId, caller.userId), isNull(notifications.readAt), which))
      .returning({ id: notifications.id })
    if (changed.length > 0) c.executionCtx.waitUntil(unreadChanged(c.env, caller.tenantId, [caller.userId]))
    return c.json({ updated: changed.length, unreadCount: await unreadCount(db, caller.tenantId, caller.userId) }, 200)
  })
  .openapi(getPreferences, async (c) => {
    const caller = asMember(c.var.caller)
    return c.json(await preferencesOf(c.var.db.get(), c.env, caller.tenantId, caller.userId, caller.role), 200)
  })
  .openapi(putPreferences, async (c) => {
    const caller = asMember(c.var.caller)
    const { preferences } = c.req.valid('json')
    const db = c.var.db.get()
    await db
      .insert(notificationPreferences)
      .values(preferences.map((p) => ({ tenantId: caller.tenantId, userId: caller.userId, type: p.type, inApp: p.inApp, email: p.email })))
      .onConflictDoUpdate({
        target: [notificationPreferences.tenantId, notificationPreferences.userId, notificationPreferences.type],
        set: { inApp: sql`excluded.in_app`, email: sql`excluded.email`, updatedAt: sql`now()` },
      })
    return c.json(await preferencesOf(db, c.env, caller.tenantId, caller.userId, caller.role), 200)
  })
