// Who gets a notification of a tenant, on which channels: its members with their role, address, language and saved
// preferences (defaults by role where none is saved), and the rows to insert for one event or other source.
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { notificationPreferences, notifications } from '../db/schema/notifications'
import { memberships, users, type MemberRole } from '../db/schema/tenants'
import { languageOf, renderNotification } from './templates'
import { defaultChoice, type ChannelChoice, type NotificationType } from './types'

/** One member as notification fan-out needs them. */
export interface Recipient {
  userId: string
  email: string
  role: MemberRole
  locale: string | null
  /** Saved choices by type; a type not here follows `defaultChoice`. */
  saved: Map<string, ChannelChoice>
}

/** A thing to notify about: an event (its id is the source key) or another source with its own key. */
export interface NotificationSource {
  sourceKey: string
  eventId: string | null
  type: NotificationType
  data: Record<string, unknown>
  /** When the cause happened (an event's time): the notification is dated by it, so a list shows causes in order. */
  occurredAt?: Date
}

type NewRow = typeof notifications.$inferInsert

/** Rows per insert statement (16 parameters each, far below Postgres's 65,535). */
const INSERT_CHUNK = 500

/** The tenant's members with their saved preferences. */
export async function loadRecipients(db: Database, tenantId: string): Promise<Recipient[]> {
  const [members, saved] = await Promise.all([
    db
      .select({ userId: users.id, email: users.email, role: memberships.role, locale: users.locale })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId)),
    db.select().from(notificationPreferences).where(eq(notificationPreferences.tenantId, tenantId)),
  ])
  return members.map((m) => ({
    ...m,
    saved: new Map(saved.filter((p) => p.userId === m.userId).map((p) => [p.type, { inApp: p.inApp, email: p.email }])),
  }))
}

/** The channels `recipient` gets `type` on. */
export function choiceOf(recipient: Recipient, type: NotificationType): ChannelChoice {
  return recipient.saved.get(type) ?? defaultChoice(recipient.role, type)
}

/** The rows a source makes for these recipients; email rows only when email is configured. */
export function rowsFor(tenantId: string, source: NotificationSource, recipients: Recipient[], emailOn: boolean, only?: (r: Recipient) => boolean): NewRow[] {
  const rows: NewRow[] = []
  for (const recipient of recipients) {
    if (only && !only(recipient)) continue
    const choice = choiceOf(recipient, source.type)
    if (!choice.inApp && !(choice.email && emailOn)) continue
    const language = languageOf(recipient.locale)
    const text = renderNotification(source.type, source.data, language)
    const base = { tenantId, userId: recipient.userId, sourceKey: source.sourceKey, eventId: source.eventId, type: source.type, locale: language, ...text, data: source.data, createdAt: source.occurredAt }
    if (choice.inApp) rows.push({ ...base, channel: 'in_app' })
    if (choice.email && emailOn) rows.push({ ...base, channel: 'email', emailStatus: 'pending' })
  }
  return rows
}

/** What an insert added: how many rows were new, and the members who got a new in-app one (their unread count grew). */
export interface Inserted {
  inserted: number
  inAppUserIds: string[]
}

/** Inserts rows, skipping any (source, user, channel) already there; answers what was new. */
export async function insertNotifications(db: Database, rows: NewRow[]): Promise<Inserted> {
  let inserted = 0
  const inApp = new Set<string>()
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const done = await db
      .insert(notifications)
      .values(rows.slice(start, start + INSERT_CHUNK))
      .onConflictDoNothing({ target: [notifications.sourceKey, notifications.userId, notifications.channel] })
      .returning({ userId: notifications.userId, channel: notifications.channel })
    inserted += done.length
    for (const row of done) if (row.channel === 'in_app') inApp.add(row.userId)
  }
  return { inserted, inAppUserIds: [...inApp] }
}

/** Email rows of the tenant still to send, oldest first, with their address. */
export async function pendingEmails(db: Database, tenantId: string, limit: number) {
  return db
    .select({ id: notifications.id, to: users.email, title: notifications.title, body: notifications.body, attempts: notifications.emailAttempts, locale: notifications.locale })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(and(eq(notifications.tenantId, tenantId), sql`${notifications.emailStatus} = 'pending'`))
    .orderBy(notifications.createdAt, notifications.id)
    .limit(limit)
}
