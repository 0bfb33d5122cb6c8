// Read-only queries: levels by SKU or location, all levels page by page, availability checks and ledger history.
import type { z } from 'zod'
import type { checkInput, historyInput, levelsInput, listLevelsInput } from './inputs'
import { isKnownSku, toView, type LevelRow } from './levels'
import { MAX_BOUND_PARAMETERS } from './limits'
import { decodeCursor, toPage } from './pagination'
import { OperationFailure, type LevelView, type Page } from './results'

type LedgerRow = {
  id: number
  sku: string
  location: string
  delta: number
  reserved_delta: number
  reason: string
  actor: string
  idempotency_key: string | null
  reservation_id: string | null
  on_hand: number
  available: number
  at: number
}

/** One ledger row: a movement of on-hand (`delta`) and/or reserved stock, and the level it left behind. */
export interface LedgerEntry {
  id: number
  sku: string
  location: string
  delta: number
  reservedDelta: number
  reason: string
  actor: string
  idempotencyKey: string | null
  reservationId: string | null
  onHand: number
  available: number
  at: number
}

function toEntry(row: LedgerRow): LedgerEntry {
  return {
    id: row.id,
    sku: row.sku,
    location: row.location,
    delta: row.delta,
    reservedDelta: row.reserved_delta,
    reason: row.reason,
    actor: row.actor,
    idempotencyKey: row.idempotency_key,
    reservationId: row.reservation_id,
    onHand: row.on_hand,
    available: row.available,
    at: row.at,
  }
}

/** Rows for many SKUs, in chunks that stay under the bound-parameter limit. */
function levelsOfSkus(sql: SqlStorage, skus: string[], location: string | undefined): LevelRow[] {
  const chunkSize = MAX_BOUND_PARAMETERS - 1
  const rows: LevelRow[] = []
  for (let start = 0; start < skus.length; start += chunkSize) {
    const chunk = skus.slice(start, start + chunkSize)
    const placeholders = chunk.map(() => '?').join(', ')
    rows.push(
      ...sql.exec<LevelRow>(`select * from levels where sku in (${placeholders}) and (? is null or location = ?) order by sku, location`, ...chunk, location ?? null, location ?? null),
    )
  }
  return rows
}

/** Levels of the listed SKUs (every location, or one), and which of the SKUs the object does not know; `listLevels` pages through a whole location. */
export function getLevels(sql: SqlStorage, input: z.output<typeof levelsInput>): { levels: LevelView[]; unknownSkus: string[] } {
  const skus = [...new Set(input.skus)]
  const levels = levelsOfSkus(sql, skus, input.location).map(toView)
  return { levels, unknownSkus: skus.filter((sku) => !isKnownSku(sql, sku)) }
}

/** Available stock of each SKU at one location (0 where the SKU has no level there); `unknown_sku` if any is not registered. */
export function checkAvailable(sql: SqlStorage, input: z.output<typeof checkInput>): { available: Record<string, number> } {
  const { levels, unknownSkus } = getLevels(sql, { skus: input.skus, location: input.location })
  if (unknownSkus.length > 0) throw new OperationFailure('unknown_sku', `${unknownSkus.length} SKU(s) are not registered`, { skus: unknownSkus })
  const available: Record<string, number> = Object.fromEntries(input.skus.map((sku) => [sku, 0]))
  for (const level of levels) available[level.sku] = level.available
  return { available }
}

/** Every level of the shard in (sku, location) order, optionally of one location. */
export function listLevels(sql: SqlStorage, input: z.output<typeof listLevelsInput>): Page<LevelView> {
  const [sku, location] = input.cursor === undefined ? ['', ''] : decodeCursor(input.cursor, ['string', 'string'])
  const rows = sql
    .exec<LevelRow>(
      'select * from levels where (sku > ? or (sku = ? and location > ?)) and (? is null or location = ?) order by sku, location limit ?',
      sku,
      sku,
      location,
      input.location ?? null,
      input.location ?? null,
      input.limit + 1,
    )
    .toArray()
  return toPage(rows, input.limit, toView, (row) => [row.sku, row.location])
}

/** Ledger rows of one SKU (optionally one location), newest first. */
export function history(sql: SqlStorage, input: z.output<typeof historyInput>): Page<LedgerEntry> {
  if (!isKnownSku(sql, input.sku)) throw new OperationFailure('unknown_sku', `SKU ${input.sku} is not registered`, { sku: input.sku })
  const [before] = input.cursor === undefined ? [Number.MAX_SAFE_INTEGER] : decodeCursor(input.cursor, ['number'])
  const rows = sql
    .exec<LedgerRow>(
      'select * from ledger where sku = ? and id < ? and (? is null or location = ?) order by id desc limit ?',
      input.sku,
      before,
      input.location ?? null,
      input.location ?? null,
      input.limit + 1,
    )
    .toArray()
  return toPage(rows, input.limit, toEntry, (row) => [row.id])
}
