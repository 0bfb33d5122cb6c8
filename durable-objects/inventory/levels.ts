// Reads and writes stock levels; every write bumps the level's version, appends a ledger row, queues the read model and checks low stock.
import { evaluateLowStock, type AlertView } from './alerts'
import { queueAvailabilityEvents } from './domain-events'
import { MAX_QUANTITY } from './limits'
import { OperationFailure, type LevelView } from './results'

/** A `levels` row as SQLite returns it. */
export type LevelRow = {
  sku: string
  location: string
  on_hand: number
  reserved: number
  low_stock_threshold: number | null
  allow_backorder: number
  alert_armed: number
  version: number
  updated_at: number
}

/** Everything one mutation shares while it runs inside a transaction. */
export interface ChangeContext {
  sql: SqlStorage
  now: number
  actor: string
  /** Null for the object's own work (reservation expiry), which no caller retries. */
  idempotencyKey: string | null
  /** Levels touched so far, keyed by `levelKey`; the caller broadcasts them after commit. */
  changed: Map<string, LevelView>
  /** Low-stock alerts raised so far; the caller broadcasts them after commit. */
  raised: AlertView[]
}

/** One movement of stock on one level. */
export interface StockChange {
  sku: string
  location: string
  onHandDelta: number
  reservedDelta: number
  reason: string
  reservationId?: string
}

/** Why a movement that would leave a level short is still allowed: backorders let sales go negative. */
export type ShortfallPolicy = 'reject' | 'allow_backorder'

/** The map key of a level. */
export function levelKey(sku: string, location: string): string {
  return `${sku}\u0000${location}`
}

/** Turns a row into what the object reports. */
export function toView(row: LevelRow): LevelView {
  return {
    sku: row.sku,
    location: row.location,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    lowStockThreshold: row.low_stock_threshold,
    allowBackorder: row.allow_backorder === 1,
    version: row.version,
    updatedAt: row.updated_at,
  }
}

/** The level of `sku` at `location`, if it exists. */
export function readLevel(sql: SqlStorage, sku: string, location: string): LevelRow | undefined {
  return sql.exec<LevelRow>('select * from levels where sku = ? and location = ?', sku, location).toArray()[0]
}

/** Whether the object has ever registered `sku`, at any location. */
export function isKnownSku(sql: SqlStorage, sku: string): boolean {
  return sql.exec('select 1 from levels where sku = ? limit 1', sku).toArray().length > 0
}

/** Creates a level at zero; the caller has checked it does not exist. */
export function insertLevel(sql: SqlStorage, sku: string, location: string, now: number): LevelRow {
  return sql.exec<LevelRow>('insert into levels (sku, location, updated_at) values (?, ?, ?) returning *', sku, location, now).one()
}

/**
 * The level of a registered SKU at `location`, created at zero when the SKU is new at that location.
 * Throws `unknown_sku` for a SKU the object never registered.
 */
export function requireLevel(ctx: ChangeContext, sku: string, location: string): LevelRow {
  const row = readLevel(ctx.sql, sku, location)
  if (row) return row
  if (!isKnownSku(ctx.sql, sku)) throw new OperationFailure('unknown_sku', `SKU ${sku} is not registered`, { sku })
  return insertLevel(ctx.sql, sku, location, ctx.now)
}

/** Throws `insufficient_stock` unless `row` can give `quantity` more units (or backorders are allowed). */
export function requireAvailable(row: LevelRow, quantity: number, policy: ShortfallPolicy = row.allow_backorder === 1 ? 'allow_backorder' : 'reject'): void {
  const available = row.on_hand - row.reserved
  if (policy === 'reject' && available < quantity) {
    throw new OperationFailure('insufficient_stock', `not enough stock of ${row.sku} at ${row.location}`, {
      sku: row.sku,
      location: row.location,
      requested: quantity,
      available,
    })
  }
}

/**
 * Applies one movement: updates the level, appends the ledger row, queues the read model and re-checks low stock.
 * `current` is the level as the caller just read it in this transaction, saving a second read.
 */
export function applyChange(ctx: ChangeContext, change: StockChange, current?: LevelRow): LevelRow {
  const before = current ?? requireLevel(ctx, change.sku, change.location)
  const onHand = before.on_hand + change.onHandDelta
  const reserved = before.reserved + change.reservedDelta
  if (Math.abs(onHand) > MAX_QUANTITY || reserved < 0 || reserved > MAX_QUANTITY) {
    throw new OperationFailure('invalid_request', `the change would take ${change.sku} at ${change.location} out of range`, {
      sku: change.sku,
      location: change.location,
      onHand,
      reserved,
      max: MAX_QUANTITY,
    })
  }
  const after = ctx.sql
    .exec<LevelRow>(
      'update levels set on_hand = ?, reserved = ?, version = version + 1, updated_at = ? where sku = ? and location = ? returning *',
      onHand,
      reserved,
      ctx.now,
      change.sku,
      change.location,
    )
    .one()
  ctx.sql.exec(
    `insert into ledger (sku, location, delta, reserved_delta, reason, actor, idempotency_key, reservation_id, on_hand, available, at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    change.sku,
    change.location,
    change.onHandDelta,
    change.reservedDelta,
    change.reason,
    ctx.actor,
    ctx.idempotencyKey,
    change.reservationId ?? null,
    after.on_hand,
    after.on_hand - after.reserved,
    ctx.now,
  )
  const settled = settleLevel(ctx, after)
  queueAvailabilityEvents(ctx, before, settled)
  return settled
}

/** After any write to a level: re-check low stock, queue the read model and remember the level for the broadcast. */
export function settleLevel(ctx: ChangeContext, row: LevelRow): LevelRow {
  const settled = evaluateLowStock(ctx, row)
  ctx.sql.exec(
    'insert into outbox (sku, location, version) values (?, ?, ?) on conflict (sku, location) do update set version = excluded.version',
    settled.sku,
    settled.location,
    settled.version,
  )
  ctx.changed.set(levelKey(settled.sku, settled.location), toView(settled))
  return settled
}
