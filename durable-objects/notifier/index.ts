// One object per tenant (named by its id) turns the tenant's domain events into notifications: like a webhook endpoint
// object it pulls the finished `events` after its own cursor (durable-objects/lib/event-cursor.ts), so no event is missed, and
// inserts one row per (event, user, channel) idempotently, telling the tenant's realtime channel whose unread count
// grew; then it sends the pending emails with retries.
import { DurableObject } from 'cloudflare:workers'
import { and, eq, sql } from 'drizzle-orm'
import { createDatabase, type Database } from '../../workers/db/client'
import { notifications } from '../../workers/db/schema/notifications'
import { deliverEmail, emailApiConfig } from '../../workers/email/http-api'
import { insertNotifications, loadRecipients, pendingEmails, rowsFor, type NotificationSource, type Recipient } from '../../workers/notifications/recipients'
import { isNotificationType } from '../../workers/notifications/types'
import { unreadChanged } from '../../workers/realtime/tenant-channel'
import { CURSOR_START_MARGIN_MS, pullAfterCursor, repassDelay } from '../lib/event-cursor'
import { readMeta, writeMeta } from '../webhook-endpoint/store'

/** The periodic sweep while the tenant is active: the safety net for events nobody woke it for (producers without a hand-off, a lost wake-up). */
export const NOTIFIER_SWEEP_MS = 60_000
/** With no event and no wake-up for this long the object stops sweeping until the next wake-up (its cursor keeps every event). */
const IDLE_AFTER_MS = 24 * 3600 * 1000
/** Email attempts before a message is marked failed; retries wait EMAIL_RETRY_MS. */
export const EMAIL_MAX_ATTEMPTS = 5
const EMAIL_RETRY_MS = 30_000
const EMAILS_PER_RUN = 50
/** Longest a run keeps taking the wake-ups that arrive during it on its one connection. */
const RUN_BUDGET_MS = 10_000

let loggedEmailOff = false

/** The webhook endpoint that delivery turned off, as its admins are told. */
export interface DisabledEndpoint {
  endpointId: string
  url: string
  disabledAtMs: number
}

/** The per-tenant notification maker. */
export class Notifier extends DurableObject<Env> {
  private readonly sql: SqlStorage
  private running = false
  private pokedDuringRun = false
  /** When events wait behind an open transaction: the delay before the next pass, else null. */
  private repassMs: number | null = null

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      this.sql.exec('create table if not exists meta (key text primary key, value text not null)')
    })
  }

  /** New events may be waiting for `tenantId`: run now. */
  async poke(tenantId: string): Promise<void> {
    this.remember(tenantId)
    writeMeta(this.sql, 'active_at', String(Date.now()))
    if (this.running) this.pokedDuringRun = true
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > Date.now()) await this.ctx.storage.setAlarm(Date.now())
  }

  /** Tells the tenant's owners and admins (per their preferences) that delivery turned a webhook endpoint off. */
  async endpointDisabled(tenantId: string, endpoint: DisabledEndpoint): Promise<void> {
    this.remember(tenantId)
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    try {
      const source: NotificationSource = {
        sourceKey: `webhook.endpoint_disabled:${endpoint.endpointId}:${endpoint.disabledAtMs}`,
        eventId: null,
        type: 'webhook.endpoint_disabled',
        data: { endpointId: endpoint.endpointId, url: endpoint.url, disabledAt: new Date(endpoint.disabledAtMs).toISOString() },
      }
      const recipients = await loadRecipients(client.db, tenantId)
      const added = await insertNotifications(client.db, rowsFor(tenantId, source, recipients, this.emailOn(), (r) => r.role === 'owner' || r.role === 'admin'))
      await unreadChanged(this.env, tenantId, added.inAppUserIds)
    } finally {
      await client.close().catch(() => undefined)
    }
    await this.poke(tenantId)
  }

  override async alarm(): Promise<void> {
    if (this.running) {
      this.pokedDuringRun = true
      return
    }
    const tenantId = readMeta(this.sql, 'tenant')
    if (!tenantId) return
    this.running = true
    this.pokedDuringRun = false
    let retryEmailsAt: number | null
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    try {
      const started = Date.now()
      // Wake-ups that arrive during a pass start another pass on the same connection, so a burst costs one run.
      do {
        this.pokedDuringRun = false
        const now = Date.now()
        const sweep = now - Number(readMeta(this.sql, 'last_sweep') ?? 0) >= NOTIFIER_SWEEP_MS
        await this.pull(client.db, tenantId, now)
        if (sweep) writeMeta(this.sql, 'last_sweep', String(now))
      } while (this.pokedDuringRun && Date.now() - started < RUN_BUDGET_MS)
      retryEmailsAt = await this.sendEmails(client.db, tenantId)
    } catch (error) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'notifier run failed', tenantId, error: error instanceof Error ? error.message : String(error) }))
      retryEmailsAt = Date.now() + EMAIL_RETRY_MS
    } finally {
      this.running = false
      await client.close().catch(() => undefined)
    }
    await this.scheduleNext(retryEmailsAt)
  }

  private remember(tenantId: string): void {
    if (readMeta(this.sql, 'tenant') === tenantId) return
    writeMeta(this.sql, 'tenant', tenantId)
    writeMeta(this.sql, 'floor', String(Date.now() - CURSOR_START_MARGIN_MS))
  }

  private emailOn(): boolean {
    if (emailApiConfig(this.env)) return true
    if (!loggedEmailOff) {
      loggedEmailOff = true
      console.log(JSON.stringify({ level: 'info', msg: 'notifications are in-app only: EMAIL_API_URL, EMAIL_API_KEY or EMAIL_FROM is not set' }))
    }
    return false
  }

  private async scheduleNext(retryEmailsAt: number | null): Promise<void> {
    const now = Date.now()
    const candidates: number[] = []
    if (this.pokedDuringRun) candidates.push(now)
    if (retryEmailsAt !== null) candidates.push(retryEmailsAt)
    if (this.repassMs !== null) candidates.push(now + this.repassMs)
    if (now - Number(readMeta(this.sql, 'active_at') ?? 0) < IDLE_AFTER_MS) candidates.push(Number(readMeta(this.sql, 'last_sweep') ?? now) + NOTIFIER_SWEEP_MS)
    if (candidates.length === 0) await this.ctx.storage.deleteAlarm()
    else await this.ctx.storage.setAlarm(Math.max(now, Math.min(...candidates)))
  }

  /** Notifies the finished events after the cursor; asks for another pass at once when more wait, or soon when some wait behind an open transaction. */
  private async pull(db: Database, tenantId: string, now: number): Promise<void> {
    const floorMs = Number(readMeta(this.sql, 'floor') ?? now - CURSOR_START_MARGIN_MS)
    let recipients: Recipient[] | undefined
    const outcome = await pullAfterCursor(db, this.sql, { tenantId, types: ['*'], floorMs }, async (events) => {
      if (events.length === 0) return
      recipients ??= await loadRecipients(db, tenantId)
      const emailOn = this.emailOn()
      const rows = events.flatMap((e) =>
        isNotificationType(e.type) ? rowsFor(tenantId, { sourceKey: e.id, eventId: e.id, type: e.type, data: (e.data ?? {}) as Record<string, unknown>, occurredAt: new Date(e.createdAt) }, recipients ?? [], emailOn) : [],
      )
      const added = await insertNotifications(db, rows)
      this.ctx.waitUntil(unreadChanged(this.env, tenantId, added.inAppUserIds))
      writeMeta(this.sql, 'active_at', String(Date.now()))
    })
    if (!outcome.drained) this.pokedDuringRun = true
    this.repassMs = repassDelay(this.repassMs, outcome)
  }

  /** Sends pending emails; answers when to try again (failures or more waiting), or null. */
  private async sendEmails(db: Database, tenantId: string): Promise<number | null> {
    const config = emailApiConfig(this.env)
    if (!config) return null
    const pending = await pendingEmails(db, tenantId, EMAILS_PER_RUN)
    let retry = false
    const link = this.env.PUBLIC_URL.trim().replace(/\/+$/, '')
    for (const email of pending) {
      const footer = link ? `\n\n${email.locale === 'en' ? 'See your notifications' : 'Ver tus notificaciones'}: ${link}/notifications` : ''
      const outcome = await deliverEmail(config, { to: email.to, subject: email.title, text: `${email.body}${footer}` })
      const attempts = email.attempts + 1
      const status = outcome.ok ? 'sent' : !outcome.retryable || attempts >= EMAIL_MAX_ATTEMPTS ? 'failed' : 'pending'
      if (status === 'pending') retry = true
      await db
        .update(notifications)
        .set({ emailStatus: status, emailAttempts: attempts, emailError: outcome.ok ? null : outcome.error.slice(0, 500) })
        .where(and(eq(notifications.id, email.id), sql`${notifications.emailStatus} = 'pending'`))
    }
    if (pending.length === EMAILS_PER_RUN) return Date.now()
    return retry ? Date.now() + EMAIL_RETRY_MS : null
  }
}
