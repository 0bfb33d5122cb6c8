// Reservations: stock held for a while (a cart, phase 1 of a cross-shard sale), then committed as a sale, released, or expired by the alarm.
import type { z } from 'zod'
import { queueStockEvent } from './domain-events'
import type { reservationInput, reserveInput, resizeInput } from './inputs'
import { applyChange, requireAvailable, requireLevel, type ChangeContext } from './levels'
import { OperationFailure } from './results'

/** Where a reservation stands; only `held` reservations hold stock. */
export type ReservationStatus = 'held' | 'committed' | 'released' | 'expired'

type ReservationRow = { id: string; status: ReservationStatus; actor: string; expires_at: number; created_at: number; closed_at: number | null }
type ReservationLineRow = { sku: string; location: string; quantity: number }

/** One reservation as the object reports it. */
export interface ReservationView {
  id: string
  status: ReservationStatus
  expiresAt: number
  lines: { sku: string; location: string; quantity: number }[]
}

/** Who expires reservations. */
export const EXPIRY_ACTOR = 'system:expiry'

/** Reads a reservation and its lines, if it exists. */
export function readReservation(sql: SqlStorage, id: string): ReservationView | undefined {
  const row = sql.exec<ReservationRow>('select * from reservations where id = ?', id).toArray()[0]
  if (!row) return undefined
  const lines = sql.exec<ReservationLineRow>('select sku, location, quantity from reservation_lines where reservation_id = ? order by sku, location', id).toArray()
  return { id: row.id, status: row.status, expiresAt: row.expires_at, lines: lines.map((line) => ({ ...line })) }
}

/** Holds every line or none: each line must be available (or on backorder) at the time of the call. */
export function reserve(ctx: ChangeContext, input: z.output<typeof reserveInput>): { reservation: ReservationView } {
  const id = `rsv_${crypto.randomUUID()}`
  const expiresAt = ctx.now + input.ttlSeconds * 1000
  ctx.sql.exec(`insert into reservations (id, status, actor, expires_at, created_at) values (?, 'held', ?, ?, ?)`, id, ctx.actor, expiresAt, ctx.now)
  for (const line of input.lines) {
    requireAvailable(requireLevel(ctx, line.sku, line.location), line.quantity)
    applyChange(ctx, { sku: line.sku, location: line.location, onHandDelta: 0, reservedDelta: line.quantity, reason: 'reserve', reservationId: id })
    ctx.sql.exec(
      `insert into reservation_lines (reservation_id, sku, location, quantity) values (?, ?, ?, ?)
       on conflict (reservation_id, sku, location) do update set quantity = quantity + excluded.quantity`,
      id,
      line.sku,
      line.location,
      line.quantity,
    )
  }
  return { reservation: readReservation(ctx.sql, id) ?? missing(id) }
}

function missing(id: string): never {
  throw new OperationFailure('reservation_not_found', `no reservation ${id}`, { reservationId: id })
}

function requireHeld(ctx: ChangeContext, id: string): ReservationView {
  const reservation = readReservation(ctx.sql, id) ?? missing(id)
  const status = reservation.status === 'held' && reservation.expiresAt <= ctx.now ? 'expired' : reservation.status
  if (status !== 'held') throw new OperationFailure('reservation_closed', `reservation ${id} is ${status}`, { reservationId: id, status })
  return reservation
}

function close(ctx: ChangeContext, reservation: ReservationView, status: Exclude<ReservationStatus, 'held'>, sold: boolean, reason?: string): ReservationView {
  for (const line of reservation.lines) {
    applyChange(ctx, {
      sku: line.sku,
      location: line.location,
      onHandDelta: sold ? -line.quantity : 0,
      reservedDelta: -line.quantity,
      reason: reason ?? (status === 'committed' ? 'commit' : status === 'released' ? 'release' : 'expire'),
      reservationId: reservation.id,
    })
  }
  ctx.sql.exec('update reservations set status = ?, closed_at = ? where id = ?', status, ctx.now, reservation.id)
  return { ...reservation, status }
}

/** Turns a held reservation into a sale: on hand and reserved both drop by its quantities; `reason` (say, the order) goes in the ledger. */
export function commit(ctx: ChangeContext, input: z.output<typeof reservationInput>): { reservation: ReservationView } {
  return { reservation: close(ctx, requireHeld(ctx, input.reservationId), 'committed', true, input.reason) }
}

/** Gives a held reservation's stock back. */
export function release(ctx: ChangeContext, input: z.output<typeof reservationInput>): { reservation: ReservationView } {
  return { reservation: close(ctx, requireHeld(ctx, input.reservationId), 'released', false, input.reason) }
}

/**
 * Changes the quantity of a held one-line reservation (a cart line) and sets its expiry to `ttlSeconds` from now:
 * growing needs the extra units available, shrinking gives the difference back. The same quantity only renews it.
 */
export function resize(ctx: ChangeContext, input: z.output<typeof resizeInput>): { reservation: ReservationView } {
  const reservation = requireHeld(ctx, input.reservationId)
  const [line, ...others] = reservation.lines
  if (!line || others.length > 0) throw new OperationFailure('invalid_request', 'only one-line reservations can be resized', { reservationId: reservation.id })
  const delta = input.quantity - line.quantity
  if (delta > 0) requireAvailable(requireLevel(ctx, line.sku, line.location), delta)
  if (delta !== 0) {
    applyChange(ctx, { sku: line.sku, location: line.location, onHandDelta: 0, reservedDelta: delta, reason: 'resize', reservationId: reservation.id })
    ctx.sql.exec('update reservation_lines set quantity = ? where reservation_id = ?', input.quantity, reservation.id)
  }
  ctx.sql.exec('update reservations set expires_at = ? where id = ?', ctx.now + input.ttlSeconds * 1000, reservation.id)
  return { reservation: readReservation(ctx.sql, reservation.id) ?? missing(reservation.id) }
}

/** Expires held reservations whose time has come, at most `limit` of them; the alarm calls it inside a transaction. */
export function expireDue(ctx: ChangeContext, limit: number): number {
  const due = ctx.sql.exec<{ id: string }>(`select id from reservations where status = 'held' and expires_at <= ? order by expires_at limit ?`, ctx.now, limit).toArray()
  for (const { id } of due) {
    const reservation = readReservation(ctx.sql, id)
    if (!reservation) continue
    close(ctx, reservation, 'expired', false)
    queueStockEvent(ctx, 'reservation.expired', { type: 'reservation', id }, { reservationId: id, lines: reservation.lines })
  }
  return due.length
}

/** When the next held reservation expires, if any. */
export function nextReservationExpiry(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>(`select min(expires_at) as at from reservations where status = 'held'`).one().at
}
