// Every migration runs on a populated database: fill each table when it first appears, step forward one migration at a
// time, and check after each that no row was lost or altered, every constraint and index holds; then the app's queries run.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getTableName, is } from 'drizzle-orm'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { PgTable } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_FOLDER } from '../../scripts/db/migrate'
import { startEmbeddedPostgres } from '../../scripts/db/embedded-postgres'
import { createThrowawayDatabase } from '../../scripts/db/throwaway-database'
import { currentRole } from '../../workers/auth/memberships'
import { alreadyProcessed } from '../../workers/billing/events-once'
import { categoryWithDescendants } from '../../workers/catalog/categories'
import { createDatabase, type Database, type DatabaseClient } from '../../workers/db/client'
import * as schema from '../../workers/db/schema'
import { loadRecipients, pendingEmails } from '../../workers/notifications/recipients'
import { recomputeCentroids } from '../../workers/search/centroids'
import { detectCategory } from '../../workers/search/detect'
import { searchAnalytics } from '../../workers/search/log'
import { nearestImages } from '../../workers/search/vector-query'
import { EXPECTED_TRANSFORMATIONS, FIXTURES, IDS, type FixtureRow } from './migration-fixtures'

interface JournalEntry {
  idx: number
  tag: string
}
interface Column {
  name: string
  required: boolean
  generated: boolean
}
type Snapshot = Map<string, { columns: string[]; count: number; digest: string }>

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] } & Record<string, unknown>
const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`

let stopDatabase: () => Promise<void>
let raw: pg.Client
let client: DatabaseClient
let stepsRoot: string

beforeAll(async () => {
  const server = process.env.DATABASE_URL
  let url: string
  if (server) {
    const created = await createThrowawayDatabase(server, 'vitrina_migrations')
    url = created.url
    stopDatabase = created.drop
  } else {
    const embedded = await startEmbeddedPostgres()
    url = embedded.url
    stopDatabase = embedded.stop
  }
  raw = new pg.Client({ connectionString: url })
  await raw.connect()
  client = createDatabase({ url, driver: 'pg', maxConnections: 2 })
  stepsRoot = mkdtempSync(join(tmpdir(), 'vitrina-migration-steps-'))
  // Starting a second PGlite beside the run's own takes tens of seconds on two busy cores.
}, 120_000)

afterAll(async () => {
  await raw?.end()
  await client?.close()
  await stopDatabase?.()
  if (stepsRoot) rmSync(stepsRoot, { recursive: true, force: true })
})

/** A migrations folder holding only the first `count` migrations, so drizzle's migrator applies exactly the next one. */
function folderUpTo(count: number): string {
  const folder = join(stepsRoot, String(count))
  mkdirSync(join(folder, 'meta'), { recursive: true })
  const entries = journal.entries.slice(0, count)
  for (const entry of entries) copyFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`))
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }))
  return folder
}

async function tables(): Promise<string[]> {
  const { rows } = await raw.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
  return rows.map((row) => row.name)
}

async function columns(table: string): Promise<Column[]> {
  const { rows } = await raw.query<{ name: string; nullable: string; fallback: string | null; generated: string; identity: string }>(
    `select column_name as name, is_nullable as nullable, column_default as fallback, is_generated as generated, is_identity as identity
       from information_schema.columns where table_schema = 'public' and table_name = $1 order by ordinal_position`,
    [table],
  )
  return rows.map((row) => ({
    name: row.name,
    generated: row.generated === 'ALWAYS' || row.identity === 'YES',
    required: row.nullable === 'NO' && row.fallback === null && row.generated !== 'ALWAYS' && row.identity !== 'YES',
  }))
}

/** Row count and a digest of every row (over the given columns), order-independent. */
async function measure(table: string, names: string[]): Promise<{ count: number; digest: string }> {
  const list = names.map(quote).join(', ')
  const { rows } = await raw.query<{ count: number; digest: string }>(
    `select count(*)::int as count, md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest from (select ${list} from ${quote(table)}) r`,
  )
  const row = rows[0]
  if (!row) throw new Error(`no measure of ${table}`)
  return row
}

/** Every table measured over its columns, less those the coming migration `tag` is declared to rewrite. */
async function snapshot(tag: string): Promise<Snapshot> {
  const changed = EXPECTED_TRANSFORMATIONS[tag]?.changedColumns ?? {}
  const result: Snapshot = new Map()
  for (const table of await tables()) {
    const names = (await columns(table)).filter((column) => !column.generated && !(changed[table] ?? []).includes(column.name)).map((column) => column.name)
    result.set(table, { columns: names, ...(await measure(table, names)) })
  }
  return result
}

/** Inserts a table's fixture rows with the columns this version has; a required column without a value fails clearly. */
async function fill(table: string, rows: FixtureRow[], version: string): Promise<void> {
  const present = await columns(table)
  for (const row of rows) {
    const missing = present.filter((column) => column.required && !(column.name in row)).map((column) => column.name)
    if (missing.length > 0) throw new Error(`tests/node/migration-fixtures.ts: ${table} lacks required column(s) ${missing.join(', ')} (at ${version})`)
    const names = present.filter((column) => !column.generated && column.name in row).map((column) => column.name)
    const values = names.map((name) => row[name])
    const placeholders = names.map((_, index) => `$${index + 1}`).join(', ')
    await raw.query(`insert into ${quote(table)} (${names.map(quote).join(', ')}) values (${placeholders})`, values)
  }
}

/** Tables with no rows get their fixtures; a table without fixtures fails the test. */
async function fillEmptyTables(version: string): Promise<void> {
  const present = await tables()
  const unknown = present.filter((table) => !(table in FIXTURES))
  if (unknown.length > 0) throw new Error(`tables without fixtures in tests/node/migration-fixtures.ts (add realistic rows): ${unknown.join(', ')}`)
  for (const [table, rows] of Object.entries(FIXTURES)) {
    if (!present.includes(table)) continue
    const { rows: counted } = await raw.query<{ n: number }>(`select count(*)::int as n from ${quote(table)}`)
    if (counted[0]?.n === 0) await fill(table, rows, version)
  }
}

/** Every foreign key, check and index holds for the rows present, not only for rows written after it was added. */
async function constraintViolations(): Promise<string[]> {
  const problems: string[] = []
  const { rows: constraints } = await raw.query<{ table: string; name: string; type: string; definition: string; validated: boolean; child: string[]; parent: string; parentColumns: string[] }>(
    `select c.conrelid::regclass::text as table, c.conname as name, c.contype as type, pg_get_constraintdef(c.oid) as definition,
            c.convalidated as validated, c.confrelid::regclass::text as parent,
            array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as child,
            array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as "parentColumns"
       from pg_constraint c where c.connamespace = 'public'::regnamespace and c.contype in ('f', 'c')`,
  )
  for (const constraint of constraints) {
    if (!constraint.validated) problems.push(`${constraint.table}.${constraint.name} is NOT VALID`)
    await raw.query(`alter table ${constraint.table} validate constraint ${quote(constraint.name)}`)
    let broken: string
    if (constraint.type === 'f') {
      const present = constraint.child.map((column) => `x.${quote(column)} is not null`).join(' and ')
      const matches = constraint.child.map((column, index) => `p.${quote(constraint.parentColumns[index] ?? '')} = x.${quote(column)}`).join(' and ')
      broken = `select count(*)::int as n from ${constraint.table} x where ${present} and not exists (select 1 from ${constraint.parent} p where ${matches})`
    } else {
      broken = `select count(*)::int as n from ${constraint.table} where not (${constraint.definition.replace(/^CHECK\s*/, '').replace(/\s*NOT VALID$/, '')})`
    }
    const { rows } = await raw.query<{ n: number }>(broken)
    if ((rows[0]?.n ?? 0) > 0) problems.push(`${constraint.table}.${constraint.name}: ${rows[0]?.n} row(s) break ${constraint.definition}`)
  }
  const { rows: invalid } = await raw.query<{ name: string }>(
    `select i.indexrelid::regclass::text as name from pg_index i join pg_class c on c.oid = i.indrelid where c.relnamespace = 'public'::regnamespace and not (i.indisvalid and i.indisready)`,
  )
  problems.push(...invalid.map((index) => `index ${index.name} is not valid`))
  return problems
}

/** Rows that changed or vanished between two snapshots, over the columns the table had before. */
async function losses(before: Snapshot, tag: string): Promise<string[]> {
  const expected = EXPECTED_TRANSFORMATIONS[tag] ?? {}
  const present = new Set(await tables())
  const problems: string[] = []
  for (const [table, previous] of before) {
    if (!present.has(table)) {
      problems.push(`${table} was dropped`)
      continue
    }
    const now = await measure(table, previous.columns)
    if (expected.emptied?.includes(table)) {
      if (now.count !== 0) problems.push(`${table} was expected to be emptied by ${tag}, still has ${now.count} rows`)
    } else if (now.count !== previous.count) problems.push(`${table}: ${previous.count} rows before ${tag}, ${now.count} after`)
    else if (now.digest !== previous.digest) problems.push(`${table}: row contents changed by ${tag}`)
  }
  return problems
}

/** The app's own query functions (plain drizzle), against the last version. */
async function runAppQueries(db: Database): Promise<void> {
  expect(await currentRole(() => db, IDS.tenantA, IDS.owner, { fresh: true })).toBe('owner')
  expect((await loadRecipients(db, IDS.tenantA)).length).toBeGreaterThan(0)
  await pendingEmails(db, IDS.tenantA, 10)
  expect(await alreadyProcessed(db, 'evt_1')).toBe(true)
  expect(await categoryWithDescendants(db, IDS.tenantA, IDS.rootCategory)).toEqual(expect.arrayContaining([IDS.rootCategory, IDS.mugCategory]))
  const query = Array.from({ length: 512 }, (_, index) => (index === 3 ? 1 : 0))
  const { hits } = await nearestImages(db, IDS.tenantA, { attributes: [], inStock: false, includeInactive: false }, query, 5)
  expect(hits[0]?.productId).toBe(IDS.mug)
  await recomputeCentroids(db, IDS.tenantA, IDS.mugCategory)
  expect((await detectCategory(db, IDS.tenantA, query))?.id ?? IDS.mugCategory).toBe(IDS.mugCategory)
  await searchAnalytics(db, IDS.tenantA, '2026-01-01', '2027-12-31', 5)
}

describe('migrations on a populated database', () => {
  it('keeps every row and constraint through every migration, and the app reads the result', async () => {
    for (const entry of journal.entries) {
      await fillEmptyTables(`before ${entry.tag}`)
      const before = await snapshot(entry.tag)
      await migrate(client.db, { migrationsFolder: folderUpTo(entry.idx + 1) })
      expect(await losses(before, entry.tag), `rows lost or altered by ${entry.tag}`).toEqual([])
      expect(await constraintViolations(), `constraints broken after ${entry.tag}`).toEqual([])
    }
    await fillEmptyTables('the last version')
    const final = await tables()
    expect(final.length).toBeGreaterThan(40)
    for (const [table, rows] of Object.entries(FIXTURES)) {
      const names = new Set((await columns(table)).map((column) => column.name))
      const stale = rows.flatMap((row) => Object.keys(row)).filter((name) => !names.has(name))
      expect(stale, `fixture columns ${table} no longer has`).toEqual([])
    }
    // Every table of the drizzle schema exists and reads back through drizzle, and none exists outside it.
    const declared = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable))
    expect(declared.map((table) => getTableName(table)).sort()).toEqual(final)
    for (const table of declared) {
      const rows = await client.db.select().from(table).limit(5)
      expect(rows.length, `${getTableName(table)} reads back`).toBeGreaterThan(0)
    }
    await runAppQueries(client.db)
  }, 120_000)
})
