// Low-stock alerts: one alert when a level falls below its threshold, none again until it is restocked at or above it.
import { levelEventData, levelSubject, queueStockEvent } from './domain-events'
import type { AlertStatus } from './inputs'
import type { ChangeContext, LevelRow } from './levels'
import { decodeCursor, toPage } from './pagination'
import { failure, type InventoryResult, type Page } from './results'

type AlertRow = {
  id: number
  sku: string
  location: string
  status: AlertStatus
  threshold: number
  available: number
  created_at: number
  acknowledged_at: number | null
  acknowledged_by: string | null
  resolved_at: number | null
  resolved_by: string | null
}

/** One alert as the object reports it. */
export interface AlertView {
  id: number
  sku: string
  location: string
  status: AlertStatus
  threshold: number
  available: number
  createdAt: number
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  resolvedAt: number | null
  resolvedBy: string | null
}

/** Who resolves an alert when the level is restocked. */
export const AUTO_RESOLVER = 'system:restock'

function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    sku: row.sku,
    location: row.location,
    status: row.status,
    threshold: row.threshold,
    available: row.available,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  }
}

/**
 * Raises an alert when an armed level is below its threshold (and disarms it), or re-arms a level that is
 * back at or above its threshold (resolving its open alerts). Returns the row with its new arming.
 */
export function evaluateLowStock(ctx: ChangeContext, row: LevelRow): LevelRow {
  const available = row.on_hand - row.reserved
  const below = row.low_stock_threshold !== null && available < row.low_stock_threshold
  if (below && row.alert_armed === 1 && row.low_stock_threshold !== null) {
    const alert = ctx.sql
      .exec<AlertRow>(
        `insert into alerts (sku, location, status, threshold, available, created_at) values (?, ?, 'open', ?, ?, ?) returning *`,
        row.sku,
        row.location,
        row.low_stock_threshold,
        available,
        ctx.now,
      )
      .one()
    ctx.raised.push(toAlertView(alert))
    queueStockEvent(ctx, 'stock.low', levelSubject(row), { ...levelEventData(row), threshold: row.low_stock_threshold, alertId: alert.id })
    ctx.sql.exec('update levels set alert_armed = 0 where sku = ? and location = ?', row.sku, row.location)
    return { ...row, alert_armed: 0 }
  }
  if (!below && row.alert_armed === 0) {
    ctx.sql.exec(
      `update alerts set status = 'resolved', resolved_at = ?, resolved_by = ? where sku = ? and location = ? and status != 'resolved'`,
      ctx.now,
      AUTO_RESOLVER,
      row.sku,
      row.location,
    )
    ctx.sql.exec('update levels set alert_armed = 1 where sku = ? and location = ?', row.sku, row.location)
    return { ...row, alert_armed: 1 }
  }
  return row
}

/** Alerts newest first, optionally of one status. */
export function listAlerts(sql: SqlStorage, query: { status?: AlertStatus; cursor?: string; limit: number }): Page<AlertView> {
  const [before] = query.cursor === undefined ? [Number.MAX_SAFE_INTEGER] : decodeCursor(query.cursor, ['number'])
  const rows = sql
    .exec<AlertRow>('select * from alerts where id < ? and (? is null or status = ?) order by id desc limit ?', before, query.status ?? null, query.status ?? null, query.limit + 1)
    .toArray()
  return toPage(rows, query.limit, toAlertView, (row) => [row.id])
}

/** Marks an open alert acknowledged; acknowledging an acknowledged or resolved alert changes nothing. */
export function acknowledgeAlert(sql: SqlStorage, id: number, actor: string, now: number): InventoryResult<{ alert: AlertView }> {
  sql.exec(`update alerts set status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? where id = ? and status = 'open'`, now, actor, id)
  return readAlert(sql, id)
}

/** Marks an alert resolved by hand; the level stays disarmed until it is restocked, so no new alert follows at once. */
export function resolveAlert(sql: SqlStorage, id: number, actor: string, now: number): InventoryResult<{ alert: AlertView }> {
  sql.exec(`update alerts set status = 'resolved', resolved_at = ?, resolved_by = ? where id = ? and status != 'resolved'`, now, actor, id)
  return readAlert(sql, id)
}

function readAlert(sql: SqlStorage, id: number): InventoryResult<{ alert: AlertView }> {
  const row = sql.exec<AlertRow>('select * from alerts where id = ?', id).toArray()[0]
  return row ? { ok: true, alert: toAlertView(row) } : failure('alert_not_found', `no alert ${id}`, { alertId: id })
}
