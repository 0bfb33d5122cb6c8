// Tenant archives through the object that owns the stock: pages of levels and ledger for an export, and a restore that
// writes them back into an empty shard (queued for the Postgres read model like any change).
import { z } from 'zod'

/** Rows per page of an export read; a level or ledger row is ~200 bytes, so a page stays far under an RPC's 32 MiB. */
export const ARCHIVE_PAGE_ROWS = 1_000

/** A level as archived: the object's columns, with `reserved` (open reservations are not archived). */
export const archivedLevel = z.object({
  sku: z.string().min(1),
  location: z.string().min(1),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  low_stock_threshold: z.number().int().nullable(),
  allow_backorder: z.number().int(),
  alert_armed: z.number().int(),
  version: z.number().int(),
  updated_at: z.number().int(),
})
export type ArchivedLevel = z.infer<typeof archivedLevel>

/** A ledger entry as archived, keeping its id (its order within the shard). */
export const archivedLedgerEntry = z.object({
  id: z.number().int().positive(),
  sku: z.string().min(1),
  location: z.string().min(1),
  delta: z.number().int(),
  reserved_delta: z.number().int(),
  reason: z.string(),
  actor: z.string(),
  idempotency_key: z.string().nullable(),
  reservation_id: z.string().nullable(),
  on_hand: z.number().int(),
  available: z.number().int(),
  at: z.number().int(),
})
export type ArchivedLedgerEntry = z.infer<typeof archivedLedgerEntry>

/** Which table a page reads and from where: levels after a `sku\u0000location` key, ledger after an id. */
export const archivePageInput = z.discriminatedUnion('table', [
  z.object({ table: z.literal('levels'), after: z.string().default('') }),
  z.object({ table: z.literal('ledger'), after: z.number().int().nonnegative().default(0) }),
])
export type ArchivePageInput = z.input<typeof archivePageInput>

/** What a restore writes into a shard. */
export const restoreInput = z.object({ levels: z.array(archivedLevel).default([]), ledger: z.array(archivedLedgerEntry).default([]) })
export type RestoreInput = z.input<typeof restoreInput>

/** One page of levels (in key order) or ledger entries (in id order); `next` is null on the last page. */
export function archivePage(sql: SqlStorage, input: z.output<typeof archivePageInput>): { rows: (ArchivedLevel | ArchivedLedgerEntry)[]; next: string | number | null } {
  if (input.table === 'levels') {
    const [sku = '', location = ''] = input.after === '' ? [] : input.after.split('\u0000')
    const rows = sql
      .exec<ArchivedLevel>(
        `select sku, location, on_hand, reserved, low_stock_threshold, allow_backorder, alert_armed, version, updated_at from levels
         where ? = '' or (sku, location) > (?, ?) order by sku, location limit ?`,
        input.after,
        sku,
        location,
        ARCHIVE_PAGE_ROWS,
      )
      .toArray()
    const last = rows.at(-1)
    return { rows, next: rows.length === ARCHIVE_PAGE_ROWS && last ? `${last.sku}\u0000${last.location}` : null }
  }
  const rows = sql
    .exec<ArchivedLedgerEntry>(
      `select id, sku, location, delta, reserved_delta, reason, actor, idempotency_key, reservation_id, on_hand, available, at from ledger where id > ? order by id limit ?`,
      input.after,
      ARCHIVE_PAGE_ROWS,
    )
    .toArray()
  const last = rows.at(-1)
  return { rows, next: rows.length === ARCHIVE_PAGE_ROWS && last ? last.id : null }
}

/**
 * Writes archived levels and ledger entries into this shard, idempotently (a level is replaced, a ledger id already
 * present is kept), and queues every restored level for the read model. Levels come back with nothing reserved:
 * reservations belong to carts, which archives do not carry, so on hand is all available.
 */
export function restoreRows(sql: SqlStorage, input: z.output<typeof restoreInput>): { levels: number; ledger: number } {
  for (const level of input.levels) {
    sql.exec(
      `insert or replace into levels (sku, location, on_hand, reserved, low_stock_threshold, allow_backorder, alert_armed, version, updated_at) values (?, ?, ?, 0, ?, ?, ?, ?, ?)`,
      level.sku,
      level.location,
      level.on_hand,
      level.low_stock_threshold,
      level.allow_backorder,
      level.alert_armed,
      level.version,
      level.updated_at,
    )
    sql.exec(
      'insert into outbox (sku, location, version) values (?, ?, ?) on conflict (sku, location) do update set version = excluded.version',
      level.sku,
      level.location,
      level.version,
    )
  }
  for (const entry of input.ledger) {
    sql.exec(
      `insert or ignore into ledger (id, sku, location, delta, reserved_delta, reason, actor, idempotency_key, reservation_id, on_hand, available, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      entry.id,
      entry.sku,
      entry.location,
      entry.delta,
      entry.reserved_delta,
      entry.reason,
      entry.actor,
      entry.idempotency_key,
      entry.reservation_id,
      entry.on_hand,
      entry.available,
      entry.at,
    )
  }
  return { levels: input.levels.length, ledger: input.ledger.length }
}

/** Empties the shard's stock (levels, ledger, alerts, reservations, queued changes): the clean-up of a failed restore. */
export function clearShard(sql: SqlStorage): void {
  for (const table of ['levels', 'ledger', 'alerts', 'reservations', 'reservation_lines', 'outbox', 'idempotency']) sql.exec(`delete from ${table}`)
}
