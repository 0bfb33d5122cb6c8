// One object per webhook endpoint (named by its id) owns that endpoint's queue in SQLite and its schedule by alarm, so
// a restart loses no delivery and a slow endpoint holds up no other. Each run pulls the tenant's finished events from
// Postgres after its cursor (durable-objects/lib/event-cursor.ts), queues each event once, delivers what is due with the
// Standard Webhooks headers, and mirrors every attempt to the delivery log.
import { DurableObject } from 'cloudflare:workers'
import { createDatabase, type Database } from '../../workers/db/client'
import { notifierStub } from '../../workers/notifications/notifier'
import { RETRY_DELAYS_MS } from '../../workers/webhooks/signing'
import { webhookUrlProblem } from '../../workers/webhooks/url-guard'
import { sendAttempt, type AttemptOutcome } from './attempt'
import { pullAfterCursor, repassDelay } from '../lib/event-cursor'
import { disableEndpoint, loadEndpoint, pruneLog, pullEvents, writeLog, type EndpointConfig, type EventCursor } from './postgres'
import {
  applySchema,
  deleteMeta,
  dueMessages,
  logRecord,
  messageRecord,
  nextDueAt,
  queueEvent,
  readMeta,
  writeMeta,
  type AttemptRecord,
  type MessageRecord,
  type MessageRow,
  type QueuedEvent,
} from './store'

/** Which endpoint an object serves; every call carries it so a fresh object knows itself. */
export interface EndpointRef {
  tenantId: string
  endpointId: string
}

/**
 * The periodic sweep: pruning the queue and the log, and the safety net for events nobody handed over (a failed or lost
 * hand-off, a producer that does not call `dispatchEvents`, an isolate's stale endpoint list). The cursor needs no look-back.
 */
export const SWEEP_MS = 60_000
/** An endpoint failing every attempt this long is turned off. */
export const FAILING_DISABLE_MS = 5 * 24 * 3600 * 1000
/** Log and queue entries are kept this many days. */
export const RETENTION_DAYS = 30
/** Most events one replay queues again. */
export const REPLAY_MAX = 10_000
const PARALLEL = 10
const RUN_BUDGET_MS = 20_000
const RETRY_RUN_MS = 10_000
/** A long run flushes its log once this many records wait, so the delivery log stays current during a burst. */
const LOG_FLUSH_ROWS = 400

/** The webhook endpoint object. */
export class WebhookEndpoint extends DurableObject<Env> {
  private readonly sql: SqlStorage
  /** A run is under way (read by the tests, which drive the alarm by hand). */
  private running = false
  private pokedDuringRun = false
  /** When events wait behind an open transaction: the delay before the next pass, else null. */
  private repassMs: number | null = null

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => applySchema(this.sql))
  }

  /** New events may be waiting: run now (the Worker calls this after a change commits). */
  async poke(ref: EndpointRef): Promise<void> {
    this.remember(ref)
    if (this.running) this.pokedDuringRun = true
    await this.scheduleAt(Date.now())
  }

  /** The endpoint was switched back on at `fromMs`: skip the events from before (replay brings them back), then run. */
  async resume(ref: EndpointRef, fromMs: number): Promise<void> {
    this.remember(ref)
    this.ctx.storage.transactionSync(() => {
      deleteMeta(this.sql, 'cursor')
      writeMeta(this.sql, 'floor', String(fromMs))
    })
    await this.poke(ref)
  }

  /** Queues an event only this endpoint gets (`webhook.test`). */
  async sendOne(ref: EndpointRef, event: QueuedEvent): Promise<void> {
    this.remember(ref)
    this.ctx.storage.transactionSync(() => queueEvent(this.sql, event, Date.now()))
    await this.poke(ref)
  }

  /** Puts one message back to pending now; false when this endpoint has no such message (any more). */
  async retry(ref: EndpointRef, messageId: string): Promise<boolean> {
    this.remember(ref)
    const row = this.sql.exec<MessageRow>('select * from messages where message_id = ?', messageId).toArray()[0]
    if (!row) return false
    this.ctx.storage.transactionSync(() => queueEvent(this.sql, { id: row.event_id, type: row.event_type, createdAt: row.created_at, data: null }, Date.now(), true))
    await this.poke(ref)
    return true
  }

  /** Queues again every event the endpoint takes since `sinceMs` (at most REPLAY_MAX); returns how many. */
  async replay(ref: EndpointRef, sinceMs: number): Promise<number> {
    this.remember(ref)
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    let count = 0
    try {
      const config = await loadEndpoint(client.db, this.env, ref.tenantId, ref.endpointId, Date.now())
      if (!config) return 0
      let after: EventCursor | undefined
      while (count < REPLAY_MAX) {
        const page = await pullEvents(client.db, ref.tenantId, config.eventTypes, { after, fromMs: sinceMs })
        const now = Date.now()
        this.ctx.storage.transactionSync(() => {
          for (const event of page.events.slice(0, REPLAY_MAX - count)) queueEvent(this.sql, event, now, true)
        })
        count += Math.min(page.events.length, REPLAY_MAX - count)
        if (!page.full || !page.last) break
        after = page.last
      }
    } finally {
      await client.close().catch(() => undefined)
    }
    await this.poke(ref)
    return count
  }

  /** The endpoint was deleted: drop the queue and the schedule. */
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
    applySchema(this.sql)
  }

  override async alarm(): Promise<void> {
    if (this.running) {
      this.pokedDuringRun = true
      return
    }
    try {
      await this.run()
    } catch (error) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'webhook run failed', endpoint: readMeta(this.sql, 'endpoint'), error: error instanceof Error ? error.message : String(error) }))
      await this.ctx.storage.setAlarm(Date.now() + RETRY_RUN_MS)
    }
  }

  private remember(ref: EndpointRef): void {
    if (readMeta(this.sql, 'endpoint') === ref.endpointId) return
    writeMeta(this.sql, 'tenant', ref.tenantId)
    writeMeta(this.sql, 'endpoint', ref.endpointId)
  }

  private async scheduleAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }

  private async run(): Promise<void> {
    const tenantId = readMeta(this.sql, 'tenant')
    const endpointId = readMeta(this.sql, 'endpoint')
    if (!tenantId || !endpointId) return
    const ref = { tenantId, endpointId }
    this.running = true
    const started = Date.now()
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    let enabled: boolean
    try {
      // Wake-ups that arrive during a pass start another pass on the same connection, so a burst costs one run.
      do {
        this.pokedDuringRun = false
        const next = await this.pass(client.db, ref)
        if (next === 'deleted') {
          await this.forget()
          return
        }
        enabled = next === 'enabled'
      } while (enabled && this.pokedDuringRun && Date.now() - started < RUN_BUDGET_MS)
    } finally {
      this.running = false
      await client.close().catch(() => undefined)
    }
    await this.scheduleNext(enabled)
  }

  /** One pass: the configuration, new events, due deliveries, the sweep's chores when due, and the log to Postgres. */
  private async pass(db: Database, ref: EndpointRef): Promise<'enabled' | 'disabled' | 'deleted'> {
    const now = Date.now()
    const config = await loadEndpoint(db, this.env, ref.tenantId, ref.endpointId, now)
    if (!config) return 'deleted'
    let enabled = config.enabled
    const sweep = now - Number(readMeta(this.sql, 'last_sweep') ?? 0) >= SWEEP_MS
    if (enabled) {
      await this.pull(db, ref, config, now)
      enabled = await this.deliverDue(db, ref, config)
    }
    if (sweep) {
      this.sql.exec("delete from messages where status <> 'pending' and created_at < ?", now - RETENTION_DAYS * 86_400_000)
      await pruneLog(db, ref.endpointId, RETENTION_DAYS)
      writeMeta(this.sql, 'last_sweep', String(now))
    }
    await this.flushLog(db, ref)
    return enabled ? 'enabled' : 'disabled'
  }

  private async scheduleNext(enabled: boolean): Promise<void> {
    const now = Date.now()
    const candidates: number[] = []
    if (this.pokedDuringRun) candidates.push(now)
    if (this.sql.exec('select 1 from log limit 1').toArray().length > 0) candidates.push(now + RETRY_RUN_MS)
    if (enabled) {
      candidates.push(Number(readMeta(this.sql, 'last_sweep') ?? now) + SWEEP_MS)
      if (this.repassMs !== null) candidates.push(now + this.repassMs)
      const due = nextDueAt(this.sql)
      if (due !== null) candidates.push(due)
    }
    if (candidates.length === 0) await this.ctx.storage.deleteAlarm()
    else await this.ctx.storage.setAlarm(Math.max(now, Math.min(...candidates)))
  }

  /** Queues the finished events after the cursor; asks for another pass at once when more wait, or soon when some wait behind an open transaction. */
  private async pull(db: Database, ref: EndpointRef, config: EndpointConfig, now: number): Promise<void> {
    const floorMs = Number(readMeta(this.sql, 'floor') ?? config.createdAt)
    const outcome = await pullAfterCursor(db, this.sql, { tenantId: ref.tenantId, types: config.eventTypes, floorMs }, (events) =>
      this.ctx.storage.transactionSync(() => {
        for (const event of events) queueEvent(this.sql, event, now)
      }),
    )
    if (!outcome.drained) this.pokedDuringRun = true
    this.repassMs = repassDelay(this.repassMs, outcome)
  }

  /** Delivers the due messages, a few at a time, within the run's budget; false when the endpoint got turned off. */
  private async deliverDue(db: Database, ref: EndpointRef, config: EndpointConfig): Promise<boolean> {
    const started = Date.now()
    const problem = await webhookUrlProblem(this.env, config.url)
    let logFlushing = true
    while (Date.now() - started < RUN_BUDGET_MS) {
      const due = dueMessages(this.sql, Date.now(), PARALLEL)
      if (due.length === 0) return true
      const outcomes = await Promise.all(
        due.map(async (row): Promise<[MessageRow, AttemptOutcome, number]> => {
          const attemptedAt = Date.now()
          const outcome = problem
            ? { succeeded: false, status: null, latencyMs: 0, response: `refused before sending: ${problem.message} (${problem.code})` }
            : await sendAttempt(config.url, config.secrets, row.event_id, row.body)
          return [row, outcome, attemptedAt]
        }),
      )
      const gone = this.ctx.storage.transactionSync(() => outcomes.map(([row, outcome, at]) => this.record(row, outcome, at)).some((g) => g))
      if (gone) {
        await disableEndpoint(db, ref.tenantId, ref.endpointId, 'gone')
        return false
      }
      if (logFlushing && this.sql.exec<{ n: number }>('select count(*) as n from log').one().n >= LOG_FLUSH_ROWS) logFlushing = await this.flushLog(db, ref)
      const failingSince = readMeta(this.sql, 'failing_since')
      if (failingSince && Date.now() - Number(failingSince) >= FAILING_DISABLE_MS) {
        await disableEndpoint(db, ref.tenantId, ref.endpointId, 'failing')
        deleteMeta(this.sql, 'failing_since')
        await this.notifyDisabled(ref, config.url)
        return false
      }
    }
    return true
  }

  /** Tells the tenant's admins that the endpoint was turned off after 5 days of failures (a failure here is logged). */
  private async notifyDisabled(ref: EndpointRef, url: string): Promise<void> {
    try {
      await notifierStub(this.env, ref.tenantId).endpointDisabled(ref.tenantId, { endpointId: ref.endpointId, url, disabledAtMs: Date.now() })
    } catch (error) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'webhook disabled notification failed', endpoint: ref.endpointId, error: error instanceof Error ? error.message : String(error) }))
    }
  }

  /** Applies one attempt's outcome to its message and the failure streak, and logs both; true when the receiver said 410. */
  private record(row: MessageRow, outcome: AttemptOutcome, at: number): boolean {
    const attempts = row.attempts + 1
    const gone = outcome.status === 410
    let status: MessageRecord['status'] = 'pending'
    let nextAt: number | null = null
    if (outcome.succeeded) status = 'delivered'
    else if (gone || attempts > RETRY_DELAYS_MS.length) status = 'failed'
    else nextAt = at + (RETRY_DELAYS_MS[attempts - 1] ?? 0)
    this.sql.exec('update messages set status = ?, attempts = ?, next_at = ? where event_id = ?', status, attempts, nextAt, row.event_id)
    if (outcome.succeeded) deleteMeta(this.sql, 'failing_since')
    else if (!readMeta(this.sql, 'failing_since')) writeMeta(this.sql, 'failing_since', String(at))
    const attempt: AttemptRecord = { id: crypto.randomUUID(), messageId: row.message_id, succeeded: outcome.succeeded, responseStatus: outcome.status, latencyMs: outcome.latencyMs, response: outcome.response, attemptedAt: at }
    logRecord(this.sql, 'message', messageRecord({ ...row, status, attempts, next_at: nextAt }, at))
    logRecord(this.sql, 'attempt', attempt)
    return gone
  }

  /** Sends the log outbox to Postgres in batches; a failure keeps it for the next run (and answers false). */
  private async flushLog(db: Database, ref: EndpointRef): Promise<boolean> {
    for (let batch = 0; batch < 50; batch += 1) {
      const rows = this.sql.exec<{ seq: number; kind: string; record: string }>('select seq, kind, record from log order by seq limit ?', LOG_FLUSH_ROWS).toArray()
      const last = rows.at(-1)
      if (!last) return true
      const messages = new Map<string, MessageRecord>()
      const attempts: AttemptRecord[] = []
      for (const row of rows) {
        if (row.kind === 'message') {
          const record = JSON.parse(row.record) as MessageRecord
          messages.set(record.id, record)
        } else attempts.push(JSON.parse(row.record) as AttemptRecord)
      }
      try {
        await writeLog(db, ref.tenantId, ref.endpointId, [...messages.values()], attempts)
      } catch (error) {
        console.warn(JSON.stringify({ level: 'warn', msg: 'webhook log flush failed', endpoint: ref.endpointId, error: error instanceof Error ? error.message : String(error) }))
        return false
      }
      this.sql.exec('delete from log where seq <= ?', last.seq)
    }
    return true
  }
}
