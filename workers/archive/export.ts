// Building a tenant archive one bounded step at a time: each step reads one page of one section (a table, the R2
// objects of some images, a page of one Inventory shard) and returns its lines; the TenantArchive object writes them
// to R2 as one part and keeps the cursor, so nothing holds a whole tenant in memory and a restart resumes.
import { sql } from 'drizzle-orm'
import { inventoryStub } from '../../durable-objects/inventory/shards'
import { queryRows, type Database } from '../db/client'
import { unwrap } from '../inventory/results'
import { allMediaKeys } from '../media/keys'
import { toBase64, type ArchiveLine } from './format'
import { ARCHIVED_TABLES } from './tables'

/** Rows per page of a table. */
export const TABLE_PAGE_ROWS = 500
/** Images whose objects (original and thumbnails) go in one part; an original may be several MB. */
export const OBJECT_PAGE_IMAGES = 10

/** One section of the archive, in the order it is written. */
export type ExportSection =
  | { kind: 'tenant' }
  | { kind: 'members' }
  | { kind: 'table'; table: string }
  | { kind: 'objects' }
  | { kind: 'stock'; shard: number; table: 'levels' | 'ledger' }

/** Where a section's paging stands: an offset, a shard cursor, or null before the first page. */
export type SectionCursor = string | number | null

/** The sections of a tenant with `shardCount` Inventory shards, in restore order. */
export function exportSections(shardCount: number): ExportSection[] {
  const stock = Array.from({ length: shardCount }, (_, shard) => [
    { kind: 'stock' as const, shard, table: 'levels' as const },
    { kind: 'stock' as const, shard, table: 'ledger' as const },
  ]).flat()
  return [{ kind: 'tenant' }, { kind: 'members' }, ...ARCHIVED_TABLES.map((t) => ({ kind: 'table' as const, table: t.name })), { kind: 'objects' }, ...stock]
}

/** What one export step needs. */
export interface ExportContext {
  db: Database
  env: Pick<Env, 'INVENTORY' | 'MEDIA'>
  tenantId: string
}

/** Reads one page of `section` after `cursor`; `next` is null when the section is done. */
export async function exportStep(ctx: ExportContext, section: ExportSection, cursor: SectionCursor): Promise<{ lines: ArchiveLine[]; next: SectionCursor }> {
  switch (section.kind) {
    case 'tenant':
      return { lines: await tenantLines(ctx), next: null }
    case 'members':
      return { lines: await memberLines(ctx), next: null }
    case 'table':
      return tablePage(ctx, section.table, typeof cursor === 'number' ? cursor : 0)
    case 'objects':
      return objectPage(ctx, typeof cursor === 'number' ? cursor : 0)
    case 'stock': {
      const stub = inventoryStub(ctx.env, ctx.tenantId, section.shard)
      const input = section.table === 'levels' ? { table: 'levels' as const, after: typeof cursor === 'string' ? cursor : '' } : { table: 'ledger' as const, after: typeof cursor === 'number' ? cursor : 0 }
      const page = unwrap(await stub.archivePage(input))
      const lines = page.rows.map((row) => ({ k: 'stock', table: section.table, row }) as ArchiveLine)
      return { lines, next: page.next }
    }
  }
}

async function tenantLines(ctx: ExportContext): Promise<ArchiveLine[]> {
  const rows = await queryRows<{ name: string; settings: Record<string, unknown> }>(ctx.db, sql`select name, settings from tenants where id = ${ctx.tenantId}`)
  return rows.map((row) => ({ k: 'tenant', name: row.name, settings: row.settings }))
}

async function memberLines(ctx: ExportContext): Promise<ArchiveLine[]> {
  const rows = await queryRows<{ user_id: string; email: string; name: string | null; locale: string | null; role: 'owner' | 'admin' | 'member' | 'viewer' }>(
    ctx.db,
    sql`select m.user_id, u.email, u.name, u.locale, m.role from memberships m join users u on u.id = m.user_id where m.tenant_id = ${ctx.tenantId} order by m.created_at, m.user_id`,
  )
  return rows.map((row) => ({ k: 'member', userId: row.user_id, email: row.email, name: row.name, locale: row.locale, role: row.role }))
}

/** Columns an archive never carries: generated ones (recomputed on restore) and the table's secrets. */
async function skippedColumns(db: Database, table: string): Promise<Set<string>> {
  const generated = await queryRows<{ column_name: string }>(
    db,
    sql`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${table} and is_generated <> 'NEVER'`,
  )
  const secret = ARCHIVED_TABLES.find((t) => t.name === table)?.secret ?? []
  return new Set([...generated.map((r) => r.column_name), ...secret])
}

async function tablePage(ctx: ExportContext, table: string, offset: number): Promise<{ lines: ArchiveLine[]; next: SectionCursor }> {
  const spec = ARCHIVED_TABLES.find((t) => t.name === table)
  if (!spec) throw new Error(`${table} is not an archived table`)
  const skipped = await skippedColumns(ctx.db, table)
  const rows = await queryRows<{ r: Record<string, unknown> }>(
    ctx.db,
    sql`select to_jsonb(t) as r from ${sql.identifier(table)} t where t.tenant_id = ${ctx.tenantId} order by ${sql.raw(spec.orderBy)} limit ${TABLE_PAGE_ROWS} offset ${offset}`,
  )
  const lines = rows.map(({ r }) => ({ k: 'row', table, row: Object.fromEntries(Object.entries(r).filter(([column]) => !skipped.has(column))) }) as ArchiveLine)
  return { lines, next: rows.length === TABLE_PAGE_ROWS ? offset + rows.length : null }
}

async function objectPage(ctx: ExportContext, offset: number): Promise<{ lines: ArchiveLine[]; next: SectionCursor }> {
  const images = await queryRows<{ id: string; r2_key: string }>(
    ctx.db,
    sql`select id, r2_key from product_images where tenant_id = ${ctx.tenantId} order by id limit ${OBJECT_PAGE_IMAGES} offset ${offset}`,
  )
  const lines: ArchiveLine[] = []
  for (const image of images) {
    const keys = new Set([image.r2_key, ...allMediaKeys(ctx.tenantId, image.id)])
    for (const key of keys) {
      const object = await ctx.env.MEDIA.get(key)
      if (!object) continue
      const data = toBase64(new Uint8Array(await object.arrayBuffer()))
      lines.push({ k: 'object', key, contentType: object.httpMetadata?.contentType ?? 'application/octet-stream', data })
    }
  }
  return { lines, next: images.length === OBJECT_PAGE_IMAGES ? offset + images.length : null }
}
