// Restoring one part of an archive into the target tenant: members first (accounts joined by email), then the rows of
// the part in one Postgres transaction (ids remapped, secrets replaced), then its R2 objects and Inventory stock.
// Every write is idempotent (ON CONFLICT DO NOTHING, R2 overwrite, Inventory restore), so a retried part is harmless.
import { sql } from 'drizzle-orm'
import { groupByShard, inventoryStub } from '../../durable-objects/inventory/shards'
import type { ArchivedLedgerEntry, ArchivedLevel } from '../../durable-objects/inventory/archive'
import { encryptCredential } from '../ai/credentials'
import { queryRows, type Database } from '../db/client'
import { unwrap } from '../inventory/results'
import { newSecret } from '../webhooks/signing'
import { fromBase64, remapValue, targetIds, uuidsIn, type ArchiveLine } from './format'
import { ARCHIVED_TABLES, HISTORY_TABLES, MUST_BE_EMPTY } from './tables'

/** A password hash no password matches: accounts created by a restore sign in after a password reset. */
export const LOCKED_PASSWORD = '!restored'

/** What a restore keeps between parts (the TenantArchive object stores it). */
export interface RestoreState {
  sourceTenantId: string
  tenantId: string
  shardCount: number
  /** Source account id to target account id. */
  users: Map<string, string>
}

/** What a part wrote, for the clean-up of a restore that fails later and for deferred references. */
export interface PartEffects {
  createdUsers: string[]
  addedMembers: string[]
  objectKeys: string[]
  /** Deferred self-references per table: rows of `{id, column: value}`. */
  deferred: { table: string; id: string; column: string; value: string }[]
  /** Rows of history tables (kept in the target besides its own), removed by id if the restore fails. */
  historyIds: { table: string; id: string }[]
  /** Previous tenant settings when this part replaced them. */
  previousSettings?: Record<string, unknown>
}

/** Names of the tables in which `tenantId` already has rows, and whether it has members besides one owner. */
export async function nonEmptyTables(db: Database, tenantId: string): Promise<string[]> {
  const checks = MUST_BE_EMPTY.map((table) => sql`select ${table}::text as t where exists (select 1 from ${sql.identifier(table)} where tenant_id = ${tenantId})`)
  const rows = await queryRows<{ t: string }>(db, sql.join(checks, sql` union all `))
  const members = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from memberships where tenant_id = ${tenantId}`)
  return [...rows.map((r) => r.t), ...((members[0]?.n ?? 0) > 1 ? ['memberships'] : [])]
}

/** Effects of a part not yet restored. */
export function noPartEffects(): PartEffects {
  return { createdUsers: [], addedMembers: [], objectKeys: [], deferred: [], historyIds: [] }
}

/**
 * Restores one part into `effects` as it goes, so a part that fails midway still tells what it wrote before (members
 * joined, accounts created: a retry finds them there and does not report them again). `env` reaches the bucket, the
 * Inventory objects and the credential key that seals webhook secrets.
 */
export async function restorePart(
  db: Database,
  env: Pick<Env, 'INVENTORY' | 'MEDIA' | 'AI_CREDENTIALS_KEY'>,
  state: RestoreState,
  lines: ArchiveLine[],
  effects: PartEffects,
): Promise<void> {
  for (const line of lines) if (line.k === 'member') await restoreMember(db, state, line, effects)
  const map = await targetIds(uuidsIn(lines.filter((l) => l.k !== 'member')), { sourceTenantId: state.sourceTenantId, tenantId: state.tenantId, users: state.users })
  const remapped = lines.filter((l) => l.k !== 'member').map((line) => remapValue(line, map))
  const groups = await rowGroups(env, state, remapped, effects)
  await db.transaction(async (tx) => {
    for (const line of remapped) {
      if (line.k !== 'tenant') continue
      const [current] = await queryRows<{ settings: Record<string, unknown> }>(tx, sql`select settings from tenants where id = ${state.tenantId} for update`)
      effects.previousSettings = current?.settings ?? {}
      await tx.execute(sql`update tenants set settings = ${JSON.stringify(line.settings)}::jsonb, updated_at = now() where id = ${state.tenantId}`)
    }
    for (const group of groups) await insertRows(tx, group.table, group.rows)
  })
  for (const line of remapped) {
    if (line.k !== 'object') continue
    await env.MEDIA.put(line.key, fromBase64(line.data), { httpMetadata: { contentType: line.contentType } })
    effects.objectKeys.push(line.key)
  }
  await restoreStock(env, state, remapped)
}

async function restoreMember(db: Database, state: RestoreState, line: Extract<ArchiveLine, { k: 'member' }>, effects: PartEffects): Promise<void> {
  let [user] = await queryRows<{ id: string }>(db, sql`select id from users where lower(email) = lower(${line.email})`)
  if (!user) {
    ;[user] = await queryRows<{ id: string }>(
      db,
      sql`insert into users (email, name, locale, password_hash) values (${line.email}, ${line.name}, ${line.locale}, ${LOCKED_PASSWORD}) on conflict do nothing returning id`,
    )
    if (!user) [user] = await queryRows<{ id: string }>(db, sql`select id from users where lower(email) = lower(${line.email})`)
    if (user) effects.createdUsers.push(user.id)
  }
  if (!user) throw new Error(`could not find or create the account of ${line.email}`)
  state.users.set(line.userId, user.id)
  const added = await queryRows<{ user_id: string }>(
    db,
    sql`insert into memberships (tenant_id, user_id, role) values (${state.tenantId}, ${user.id}, ${line.role}) on conflict do nothing returning user_id`,
  )
  effects.addedMembers.push(...added.map((a) => a.user_id))
}

/** Consecutive rows of one table, with secrets replaced and deferred references held back. */
async function rowGroups(env: Pick<Env, 'AI_CREDENTIALS_KEY'>, state: RestoreState, lines: ArchiveLine[], effects: PartEffects) {
  const groups: { table: string; rows: Record<string, unknown>[] }[] = []
  for (const line of lines) {
    if (line.k !== 'row') continue
    const spec = ARCHIVED_TABLES.find((t) => t.name === line.table)
    const row = { ...line.row }
    for (const column of spec?.deferred ?? []) {
      const value = row[column]
      if (typeof value === 'string' && typeof row.id === 'string') effects.deferred.push({ table: line.table, id: row.id, column, value })
      row[column] = null
    }
    if (HISTORY_TABLES.includes(line.table) && typeof row.id === 'string') effects.historyIds.push({ table: line.table, id: row.id })
    if (line.table === 'webhook_endpoints') {
      Object.assign(row, {
        secret_sealed: await encryptCredential(env, newSecret(), state.tenantId),
        enabled: false,
        disabled_reason: 'restored',
        disabled_at: new Date().toISOString(),
      })
    }
    const last = groups.at(-1)
    if (last && last.table === line.table) last.rows.push(row)
    else groups.push({ table: line.table, rows: [row] })
  }
  return groups
}

/** Inserts rows as they were (generated and serial columns recomputed), skipping any already there. */
async function insertRows(db: Database, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const first = rows[0]
  if (!first) return
  const insertable = await queryRows<{ column_name: string }>(
    db,
    sql`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${table}
        and is_generated = 'NEVER' and is_identity = 'NO' and coalesce(column_default, '') not like 'nextval(%'`,
  )
  const columns = insertable.map((c) => c.column_name).filter((c) => c in first)
  const list = sql.join(
    columns.map((c) => sql.identifier(c)),
    sql`, `,
  )
  const selected = sql.join(
    columns.map((c) => sql`x.${sql.identifier(c)}`),
    sql`, `,
  )
  const condition = ARCHIVED_TABLES.find((t) => t.name === table)?.restoreIf
  await db.execute(
    sql`insert into ${sql.identifier(table)} (${list}) select ${selected} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows)}::jsonb) x
        ${condition ? sql`where ${sql.raw(condition)}` : sql``} on conflict do nothing`,
  )
}

async function restoreStock(env: Pick<Env, 'INVENTORY'>, state: RestoreState, lines: ArchiveLine[]): Promise<void> {
  const levels: ArchivedLevel[] = []
  const ledger: ArchivedLedgerEntry[] = []
  for (const line of lines) {
    if (line.k !== 'stock') continue
    if (line.table === 'levels') levels.push(line.row)
    else ledger.push(line.row)
  }
  const levelShards = groupByShard(levels, state.shardCount)
  const ledgerShards = groupByShard(ledger, state.shardCount)
  for (const shard of new Set([...levelShards.keys(), ...ledgerShards.keys()])) {
    const stub = inventoryStub(env, state.tenantId, shard)
    unwrap(await stub.restoreArchive({ levels: levelShards.get(shard) ?? [], ledger: ledgerShards.get(shard) ?? [] }))
  }
}

/** Sets the deferred self-references once every row of their table is in. */
export async function applyDeferred(db: Database, tenantId: string, deferred: PartEffects['deferred']): Promise<void> {
  for (const item of deferred) {
    await db.execute(sql`update ${sql.identifier(item.table)} set ${sql.identifier(item.column)} = ${item.value} where id = ${item.id} and tenant_id = ${tenantId}`)
  }
}

/** One notification preference row of the target as it was before the restore. */
export interface PreferenceRow {
  user_id: string
  type: string
  in_app: boolean
  email: boolean
  updated_at: string
}

/** The target's notification preferences before a restore adds the archive's (its owner may have set some already). */
export async function currentPreferences(db: Database, tenantId: string): Promise<PreferenceRow[]> {
  return queryRows<PreferenceRow>(db, sql`select user_id, type, in_app, email, updated_at from notification_preferences where tenant_id = ${tenantId}`)
}

/**
 * Removes everything a failed restore wrote to Postgres, R2 and the Inventory objects; the tenant is empty again, with
 * the notification preferences it had before (`previousPreferences`).
 */
export async function undoRestore(
  db: Database,
  env: Pick<Env, 'INVENTORY' | 'MEDIA'>,
  state: RestoreState,
  written: {
    createdUsers: string[]
    addedMembers: string[]
    objectKeys: string[]
    previousSettings?: Record<string, unknown>
    previousPreferences: PreferenceRow[]
    historyIds: { table: string; id: string }[]
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const spec of [...ARCHIVED_TABLES].reverse()) {
      if (MUST_BE_EMPTY.includes(spec.name) || spec.name === 'order_numbers' || spec.name === 'notification_preferences') {
        await tx.execute(sql`delete from ${sql.identifier(spec.name)} where tenant_id = ${state.tenantId}`)
      }
    }
    for (const { table, id } of written.historyIds) await tx.execute(sql`delete from ${sql.identifier(table)} where id = ${id} and tenant_id = ${state.tenantId}`)
    await tx.execute(sql`delete from inventory_levels where tenant_id = ${state.tenantId}`)
    for (const userId of written.addedMembers) await tx.execute(sql`delete from memberships where tenant_id = ${state.tenantId} and user_id = ${userId}`)
    for (const userId of written.createdUsers) {
      await tx.execute(sql`delete from users where id = ${userId} and password_hash = ${LOCKED_PASSWORD} and not exists (select 1 from memberships where user_id = ${userId})`)
    }
    if (written.previousSettings) await tx.execute(sql`update tenants set settings = ${JSON.stringify(written.previousSettings)}::jsonb where id = ${state.tenantId}`)
    if (written.previousPreferences.length > 0) {
      await tx.execute(sql`insert into notification_preferences (tenant_id, user_id, type, in_app, email, updated_at)
        select ${state.tenantId}, x.user_id, x.type, x.in_app, x.email, x.updated_at
        from jsonb_to_recordset(${JSON.stringify(written.previousPreferences)}::jsonb) as x(user_id uuid, type text, in_app boolean, email boolean, updated_at timestamptz)
        where exists (select 1 from users u where u.id = x.user_id)`)
    }
  })
  for (let i = 0; i < written.objectKeys.length; i += 1000) await env.MEDIA.delete(written.objectKeys.slice(i, i + 1000))
  for (let shard = 0; shard < state.shardCount; shard++) await inventoryStub(env, state.tenantId, shard).clearForRestore()
}
