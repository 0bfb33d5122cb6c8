// Stock operations on levels: register, configure, adjust, set (compare-and-set), reduce (a sale) and transfer; each runs inside one transaction.
import type { z } from 'zod'
import type { adjustInput, configureInput, reduceInput, registerInput, setInput, transferInput } from './inputs'
import { applyChange, insertLevel, readLevel, requireAvailable, requireLevel, settleLevel, type ChangeContext, type LevelRow } from './levels'
import { OperationFailure } from './results'

/** Creates each listed level at zero with its settings; a level that already exists is left as it is. */
export function register(ctx: ChangeContext, input: z.output<typeof registerInput>): { created: number } {
  let created = 0
  for (const line of input.skus) {
    if (readLevel(ctx.sql, line.sku, line.location)) continue
    insertLevel(ctx.sql, line.sku, line.location, ctx.now)
    const threshold = line.lowStockThreshold ?? null
    const armedAtZero = threshold === null || threshold <= 0 ? 1 : 0
    const row = ctx.sql
      .exec<LevelRow>(
        'update levels set low_stock_threshold = ?, allow_backorder = ?, alert_armed = ?, version = 1 where sku = ? and location = ? returning *',
        threshold,
        line.allowBackorder ? 1 : 0,
        armedAtZero,
        line.sku,
        line.location,
      )
      .one()
    settleLevel(ctx, row)
    created += 1
  }
  return { created }
}

/** Changes the low-stock threshold and/or the backorder flag of one level. */
export function configure(ctx: ChangeContext, input: z.output<typeof configureInput>): object {
  const before = requireLevel(ctx, input.sku, input.location)
  const threshold = input.lowStockThreshold === undefined ? before.low_stock_threshold : input.lowStockThreshold
  const backorder = input.allowBackorder === undefined ? before.allow_backorder : Number(input.allowBackorder)
  const row = ctx.sql
    .exec<LevelRow>(
      'update levels set low_stock_threshold = ?, allow_backorder = ?, version = version + 1, updated_at = ? where sku = ? and location = ? returning *',
      threshold,
      backorder,
      ctx.now,
      input.sku,
      input.location,
    )
    .one()
  settleLevel(ctx, row)
  return {}
}

/** Adds or removes stock; a removal may not take available stock below zero unless the level allows backorders. */
export function adjust(ctx: ChangeContext, input: z.output<typeof adjustInput>): object {
  for (const line of input.lines) {
    const row = requireLevel(ctx, line.sku, line.location)
    if (line.delta < 0) requireAvailable(row, -line.delta)
    applyChange(ctx, { sku: line.sku, location: line.location, onHandDelta: line.delta, reservedDelta: 0, reason: input.reason ?? 'adjust' }, row)
  }
  return {}
}

/** Sets on hand to an absolute count; with `expected`, only if on hand still equals it (compare-and-set). */
export function setOnHand(ctx: ChangeContext, input: z.output<typeof setInput>): object {
  for (const line of input.lines) {
    const row = requireLevel(ctx, line.sku, line.location)
    if (line.expected !== undefined && line.expected !== row.on_hand) {
      throw new OperationFailure('stale_quantity', `on hand of ${line.sku} at ${line.location} is no longer ${line.expected}`, {
        sku: line.sku,
        location: line.location,
        expected: line.expected,
        actual: row.on_hand,
      })
    }
    applyChange(ctx, { sku: line.sku, location: line.location, onHandDelta: line.onHand - row.on_hand, reservedDelta: 0, reason: input.reason ?? 'set' }, row)
  }
  return {}
}

/** Sells stock: fails with `insufficient_stock` rather than going negative, unless the level allows backorders. */
export function reduce(ctx: ChangeContext, input: z.output<typeof reduceInput>): object {
  for (const line of input.lines) {
    const row = requireLevel(ctx, line.sku, line.location)
    requireAvailable(row, line.quantity)
    applyChange(ctx, { sku: line.sku, location: line.location, onHandDelta: -line.quantity, reservedDelta: 0, reason: input.reason ?? 'sale' }, row)
  }
  return {}
}

/** Moves available stock between two locations of the same SKU; never on backorder. */
export function transfer(ctx: ChangeContext, input: z.output<typeof transferInput>): object {
  for (const line of input.lines) {
    const from = requireLevel(ctx, line.sku, line.from)
    requireAvailable(from, line.quantity, 'reject')
    applyChange(ctx, { sku: line.sku, location: line.from, onHandDelta: -line.quantity, reservedDelta: 0, reason: 'transfer_out' }, from)
    applyChange(ctx, { sku: line.sku, location: line.to, onHandDelta: line.quantity, reservedDelta: 0, reason: 'transfer_in' })
  }
  return {}
}
