// Per-(tenant, shard) stock actor: levels, reservations, the stock ledger and low-stock alerts in SQLite, one writer, no oversell.
// Worker code reaches it through shards.ts (addressing) and fan-out.ts (operations spanning shards); admins subscribe over WebSocket.
import { Server, type Connection, type ConnectionContext } from 'partyserver'
import type { z } from 'zod'
import { errorBody } from '../../workers/lib/errors'
import { dispatchEvents } from '../../workers/webhooks/endpoints'
import { CredentialSockets } from '../lib/credential-sockets'
import { credentialTags, type CredentialMatch } from '../lib/socket-credentials'
import { archivePage, archivePageInput, clearShard, restoreInput, restoreRows, type ArchivePageInput, type ArchivedLedgerEntry, type ArchivedLevel, type RestoreInput } from './archive'
import { acknowledgeAlert, listAlerts, resolveAlert, type AlertView } from './alerts'
import { executeMutation, nextIdempotencyExpiry, pruneIdempotency, type MutationBody, type MutationRequest } from './idempotency'
import * as inputs from './inputs'
import type { ChangeContext } from './levels'
import { FLUSH_DELAY_MS, FLUSH_MIN_INTERVAL_MS, MAX_BULK_LINES, SNAPSHOT_MAX_LEVELS } from './limits'
import { adjust, configure, reduce, register, setOnHand, transfer } from './operations'
import { flushOutbox, flushRetryAt, hasQueuedLevels, type FlushOutcome } from './outbox'
import type { InventoryServerMessage, StockLevelMessage } from './protocol'
import { checkAvailable, getLevels, history, listLevels, type LedgerEntry } from './queries'
import { commit, expireDue, EXPIRY_ACTOR, nextReservationExpiry, readReservation, release, reserve, resize, type ReservationView } from './reservations'
import { OperationFailure, failure, type InventoryResult, type LevelView, type MutationOutcome, type Page } from './results'
import { applySchema, readMeta, writeMeta } from './schema'
import { parseInventoryName, type ShardIdentity } from './shards'
import { operationDataPoint, writeDataPoint } from '../../workers/lib/analytics'

export type { InventoryErrorCode, InventoryResult, LevelView, MutationOutcome, Page } from './results'
export type { AlertView } from './alerts'
export type { LedgerEntry } from './queries'
export type { ReservationView } from './reservations'
export type {
  AdjustInput,
  AlertActionInput,
  CheckInput,
  ConfigureInput,
  HistoryInput,
  LevelsInput,
  ListAlertsInput,
  ListLevelsInput,
  ReduceInput,
  RegisterInput,
  ReservationInput,
  ReserveInput,
  ResizeInput,
  SetInput,
  TransferInput,
} from './inputs'

const IDENTITY_KEY = 'identity'

function toLevelMessage(level: LevelView): StockLevelMessage {
  return { sku: level.sku, location: level.location, onHand: level.onHand, reserved: level.reserved, available: level.available }
}

/** Owns one shard of one tenant's stock. Every RPC validates its input and answers an `InventoryResult`. */
export class Inventory extends Server<Env> {
  static override options = { hibernate: true }

  #identity: ShardIdentity | undefined
  /** When the alarm is set for, as this object last set or read it; null when not known (then storage is asked). */
  #alarmAt: number | null = null
  /** When this object last started a flush (0 since it woke): a busy object flushes at most every FLUSH_MIN_INTERVAL_MS. */
  #lastFlushAt = 0
  readonly #sockets = new CredentialSockets({
    getConnections: (tag) => this.getConnections(tag),
    tenantId: () => this.#shard().tenantId,
    database: () => ({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER }),
  })

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => applySchema(ctx.storage.sql))
  }

  /** Closes the sockets opened with any of these credentials (a key revoked, a member removed or their role changed). */
  closeSockets(match: CredentialMatch): { closed: number } {
    return { closed: this.#sockets.close(match) }
  }

  /** Creates SKUs at zero (at `main` unless a location is given) with their threshold and backorder settings. */
  register(input: inputs.RegisterInput): Promise<InventoryResult<MutationOutcome & { created: number }>> {
    return this.#mutate('register', inputs.registerInput, input, register)
  }

  /** Sets a level's low-stock threshold (null to clear) and/or whether it sells on backorder. */
  configure(input: inputs.ConfigureInput): Promise<InventoryResult<MutationOutcome>> {
    return this.#mutate('configure', inputs.configureInput, input, configure)
  }

  /** Adds (positive delta) or removes (negative delta) stock on hand, all lines or none. */
  adjust(input: inputs.AdjustInput): Promise<InventoryResult<MutationOutcome>> {
    return this.#mutate('adjust', inputs.adjustInput, input, adjust)
  }

  /** Sets on hand to absolute counts; a line with `expected` fails with `stale_quantity` unless on hand still equals it. */
  setOnHand(input: inputs.SetInput): Promise<InventoryResult<MutationOutcome>> {
    return this.#mutate('set', inputs.setInput, input, setOnHand)
  }

  /** Sells stock, all lines or none; `insufficient_stock` instead of going negative unless the level allows backorders. */
  reduce(input: inputs.ReduceInput): Promise<InventoryResult<MutationOutcome>> {
    return this.#mutate('reduce', inputs.reduceInput, input, reduce)
  }

  /** Moves available stock between locations, all lines or none. */
  transfer(input: inputs.TransferInput): Promise<InventoryResult<MutationOutcome>> {
    return this.#mutate('transfer', inputs.transferInput, input, transfer)
  }

  /** Holds stock for `ttlSeconds`, all lines or none; the alarm releases it if it is neither committed nor released by then. */
  reserve(input: inputs.ReserveInput): Promise<InventoryResult<MutationOutcome & { reservation: ReservationView }>> {
    return this.#mutate('reserve', inputs.reserveInput, input, reserve, (stored) => ({
      reservation: readReservation(this.ctx.storage.sql, stored.reservation.id) ?? stored.reservation,
    }))
  }

  /** Turns a held reservation into a sale. */
  commit(input: inputs.ReservationInput): Promise<InventoryResult<MutationOutcome & { reservation: ReservationView }>> {
    return this.#mutate('commit', inputs.reservationInput, input, commit)
  }

  /** Gives a held reservation's stock back. */
  release(input: inputs.ReservationInput): Promise<InventoryResult<MutationOutcome & { reservation: ReservationView }>> {
    return this.#mutate('release', inputs.reservationInput, input, release)
  }

  /** Sets a held one-line reservation's quantity (growing needs the units available) and renews it for `ttlSeconds`. */
  resize(input: inputs.ResizeInput): Promise<InventoryResult<MutationOutcome & { reservation: ReservationView }>> {
    return this.#mutate('resize', inputs.resizeInput, input, resize)
  }

  /** A reservation and where it stands. */
  getReservation(reservationId: string): InventoryResult<{ reservation: ReservationView }> {
    return this.#read(inputs.reservationIdInput, reservationId, (id) => {
      const reservation = readReservation(this.ctx.storage.sql, id)
      if (!reservation) throw new OperationFailure('reservation_not_found', `no reservation ${id}`, { reservationId: id })
      return { reservation }
    })
  }

  /** Available stock of each SKU at one location; `unknown_sku` if any is not registered. */
  check(input: inputs.CheckInput): InventoryResult<{ available: Record<string, number> }> {
    return this.#read(inputs.checkInput, input, (value) => checkAvailable(this.ctx.storage.sql, value))
  }

  /** Levels of up to 500 SKUs, at every location or one, and which of them are not registered. */
  getLevels(input: inputs.LevelsInput): InventoryResult<{ levels: LevelView[]; unknownSkus: string[] }> {
    return this.#read(inputs.levelsInput, input, (value) => getLevels(this.ctx.storage.sql, value))
  }

  /** Every level of the shard (optionally of one location), page by page in SKU order. */
  listLevels(input: inputs.ListLevelsInput = {}): InventoryResult<Page<LevelView>> {
    return this.#read(inputs.listLevelsInput, input, (value) => listLevels(this.ctx.storage.sql, value))
  }

  /** The ledger of one SKU, newest first, page by page. */
  history(input: inputs.HistoryInput): InventoryResult<Page<LedgerEntry>> {
    return this.#read(inputs.historyInput, input, (value) => history(this.ctx.storage.sql, value))
  }

  /** Low-stock alerts newest first, optionally of one status. */
  listAlerts(input: inputs.ListAlertsInput = {}): InventoryResult<Page<AlertView>> {
    return this.#read(inputs.listAlertsInput, input, (value) => listAlerts(this.ctx.storage.sql, value))
  }

  /** Acknowledges an open alert; repeating it changes nothing. */
  acknowledgeAlert(input: inputs.AlertActionInput): InventoryResult<{ alert: AlertView }> {
    const parsed = inputs.parseInput(inputs.alertActionInput, input)
    return parsed.ok ? acknowledgeAlert(this.ctx.storage.sql, parsed.value.alertId, parsed.value.actor, Date.now()) : parsed
  }

  /** Resolves an alert by hand; the level raises no new alert until it is restocked at or above its threshold. */
  resolveAlert(input: inputs.AlertActionInput): InventoryResult<{ alert: AlertView }> {
    const parsed = inputs.parseInput(inputs.alertActionInput, input)
    return parsed.ok ? resolveAlert(this.ctx.storage.sql, parsed.value.alertId, parsed.value.actor, Date.now()) : parsed
  }

  /** One page of the shard's levels or ledger for a tenant archive. */
  archivePage(input: ArchivePageInput): InventoryResult<{ rows: (ArchivedLevel | ArchivedLedgerEntry)[]; next: string | number | null }> {
    return this.#read(archivePageInput, input, (value) => archivePage(this.ctx.storage.sql, value))
  }

  /** Restores archived levels and ledger entries (idempotent) and schedules their publication to the read model. */
  async restoreArchive(input: RestoreInput): Promise<InventoryResult<{ levels: number; ledger: number }>> {
    const parsed = inputs.parseInput(restoreInput, input)
    if (!parsed.ok) return parsed
    const sql = this.ctx.storage.sql
    const counts = this.ctx.storage.transactionSync(() => restoreRows(sql, parsed.value))
    await this.#scheduleNext(0)
    return { ok: true, ...counts }
  }

  /** Empties the shard: the clean-up of a restore that failed. */
  clearForRestore(): { cleared: true } {
    const sql = this.ctx.storage.sql
    this.ctx.storage.transactionSync(() => clearShard(sql))
    return { cleared: true }
  }

  /** Publishes queued levels to Postgres now; the alarm does the same on its own schedule. */
  async flush(): Promise<FlushOutcome> {
    this.#lastFlushAt = Date.now()
    const outcome = await flushOutbox(this.ctx.storage, this.#shard().tenantId, { url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER }, Date.now())
    if (outcome.status === 'failed') console.warn(JSON.stringify({ level: 'warn', msg: 'inventory flush failed', name: this.name, ...outcome }))
    if (outcome.status === 'flushed' && outcome.events.length > 0) this.ctx.waitUntil(dispatchEvents(this.env, this.#shard().tenantId, outcome.events))
    await this.#scheduleNext(outcome.status === 'flushed' && outcome.remaining > 0 ? 0 : FLUSH_DELAY_MS)
    return outcome
  }

  /** Tags each socket with its credential, so a revocation finds its sockets without a scan. */
  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    return credentialTags(context)
  }

  /** Binds a new subscriber to its credential (closing it without one) and sends it the shard's levels. */
  override async onConnect(connection: Connection, context: ConnectionContext): Promise<void> {
    if (!this.#sockets.bind(connection, context)) return
    const { tenantId, shard } = this.#shard()
    const page = listLevels(this.ctx.storage.sql, { limit: SNAPSHOT_MAX_LEVELS })
    const snapshot = { type: 'stock.snapshot' as const, tenantId, shard, levels: page.data.map(toLevelMessage), truncated: page.nextCursor !== null, at: Date.now() }
    connection.send(JSON.stringify(snapshot satisfies InventoryServerMessage))
    await this.#scheduleNext(FLUSH_DELAY_MS)
  }

  /** Plain HTTP is not part of the object's surface: the Worker talks RPC, subscribers upgrade to WebSocket. */
  override onRequest(): Response {
    return Response.json(errorBody('not_found', 'Inventory objects answer RPC and WebSocket upgrades only'), { status: 404 })
  }

  /** Closes sockets whose credential expired or was revoked, expires due reservations, prunes old idempotency keys, flushes the read model, and sets the next alarm. */
  override async onAlarm(): Promise<void> {
    this.#alarmAt = null
    await this.#sockets.sweep()
    const sql = this.ctx.storage.sql
    const ctx: ChangeContext = { sql, now: Date.now(), actor: EXPIRY_ACTOR, idempotencyKey: null, changed: new Map(), raised: [] }
    const expired = this.ctx.storage.transactionSync(() => {
      pruneIdempotency(sql, ctx.now)
      return expireDue(ctx, MAX_BULK_LINES)
    })
    this.#announce([...ctx.changed.values()], ctx.raised)
    if (hasQueuedLevels(sql) && flushRetryAt(sql) <= Date.now()) await this.flush()
    else await this.#scheduleNext(expired === MAX_BULK_LINES ? 0 : FLUSH_DELAY_MS)
  }

  /** The object's tenant and shard: from its name on first use, then from the `meta` table (alarms may run without a name). */
  #shard(): ShardIdentity {
    if (this.#identity) return this.#identity
    const sql = this.ctx.storage.sql
    const stored = readMeta(sql, IDENTITY_KEY)
    const identity = stored ? (JSON.parse(stored) as ShardIdentity) : parseInventoryName(this.name)
    if (!identity) throw new Error(`an Inventory object is named "tenantId:shard", not "${this.name}"`)
    if (!stored) writeMeta(sql, IDENTITY_KEY, JSON.stringify(identity))
    this.#identity = identity
    return identity
  }

  async #mutate<I extends MutationRequest, T extends object>(
    operation: string,
    schema: z.ZodType<I>,
    input: unknown,
    body: MutationBody<I, T>,
    refresh?: (stored: T) => T,
  ): Promise<InventoryResult<T & MutationOutcome>> {
    const parsed = inputs.parseInput(schema, input)
    if (!parsed.ok) return parsed
    const { tenantId } = this.#shard()
    const started = performance.now()
    const executed = executeMutation(this.ctx.storage, operation, parsed.value, body, refresh)
    if (executed.changed.length > 0) {
      this.#announce(executed.changed, executed.raised)
      await this.#scheduleNext(FLUSH_DELAY_MS)
    }
    const outcome = executed.result.ok ? (executed.result.replayed ? 'replayed' : 'ok') : executed.result.error.code
    writeDataPoint(this.env.ANALYTICS, operationDataPoint({ objectClass: 'Inventory', operation, tenantId, outcome, durationMs: performance.now() - started }))
    return executed.result
  }

  #read<I, T extends object>(schema: z.ZodType<I>, input: unknown, run: (value: I) => T): InventoryResult<T> {
    const parsed = inputs.parseInput(schema, input)
    if (!parsed.ok) return parsed
    try {
      return { ok: true, ...run(parsed.value) }
    } catch (error) {
      if (error instanceof OperationFailure) return failure(error.error.code, error.error.message, error.error.details)
      throw error
    }
  }

  /** Broadcasts committed changes (and any alerts they raised) to every subscriber. */
  #announce(changed: LevelView[], raised: AlertView[]): void {
    if (changed.length === 0) return
    this.#sockets.closeExpired()
    const { tenantId, shard } = this.#shard()
    const at = Date.now()
    this.broadcast(JSON.stringify({ type: 'stock.changed', tenantId, shard, changes: changed.map(toLevelMessage), at } satisfies InventoryServerMessage))
    if (raised.length === 0) return
    const alerts = raised.map(({ id, sku, location, threshold, available }) => ({ id, sku, location, threshold, available }))
    this.broadcast(JSON.stringify({ type: 'stock.low', tenantId, shard, alerts, at } satisfies InventoryServerMessage))
  }

  /**
   * Sets the alarm for the earliest pending work: a read-model flush, a reservation or idempotency key expiry, or a
   * socket's credential deadline. A flush waits `flushDelayMs` (0: a backlog is draining) and, while changes keep coming,
   * at least FLUSH_MIN_INTERVAL_MS after the previous one. An alarm still to come by then covers any new work (the alarm
   * reschedules what remains when it runs), so a burst of changes costs one alarm, not five queries each.
   */
  async #scheduleNext(flushDelayMs: number): Promise<void> {
    const now = Date.now()
    const earliestFlush = flushDelayMs === 0 ? now : Math.max(now + flushDelayMs, this.#lastFlushAt + FLUSH_MIN_INTERVAL_MS)
    if (this.#alarmAt !== null && now < this.#alarmAt && this.#alarmAt <= earliestFlush) return
    const sql = this.ctx.storage.sql
    const flushAt = hasQueuedLevels(sql) ? Math.max(earliestFlush, flushRetryAt(sql)) : null
    const candidates = [flushAt, nextReservationExpiry(sql), nextIdempotencyExpiry(sql), this.#sockets.deadline(now)].filter((at): at is number => at !== null)
    if (candidates.length === 0) return
    const next = Math.min(...candidates)
    const current = await this.ctx.storage.getAlarm()
    if (current === null || next < current) await this.ctx.storage.setAlarm(next)
    this.#alarmAt = current === null ? next : Math.min(current, next)
  }
}
