// A tenant's whole data as one archive: owners start an export (built in the background into R2) and download it,
// or restore an archive into an empty tenant; both are polled for state and per-section progress.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq, inArray } from 'drizzle-orm'
import { archivePartKey, archivePrefix, manifestKey } from '../archive/storage'
import { storeUpload } from '../archive/upload'
import { nonEmptyTables } from '../archive/restore'
import type { Database } from '../db/client'
import { ARCHIVE_KINDS, ARCHIVE_STATES, tenantArchives, type ArchiveKind } from '../db/schema/archives'
import { tenantShardCount } from '../inventory/shard-count'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { UuidParamSchema } from '../lib/schemas'
import { requireMember } from '../middleware/authenticate'

const ArchiveSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(ARCHIVE_KINDS),
    state: z.enum(ARCHIVE_STATES),
    progress: z.record(z.string(), z.number().int()).openapi({ description: 'Lines done per section (a table, `members`, `objects`, `inventory.levels`, `inventory.ledger`)' }),
    error: z.string().nullable(),
    downloadUrl: z.string().nullable().openapi({ description: 'Exports, once completed: where the owner downloads the archive' }),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('TenantArchive')

const json = (description: string) => ({ description, content: { 'application/json': { schema: ArchiveSchema } } })
const common = { 401: errorResponse('Not signed in'), 403: errorResponse('Not an owner of the tenant') }

const FORMAT = `JSON lines (one JSON object per line), version 1: a manifest line {k:"manifest", format:"vitrina-tenant-archive", version:1,
tenantId, exportedAt, counts:{section: lines}}, then {k:"tenant"}, {k:"member"} (email, name, role; no password), {k:"row", table, row}
(Postgres rows without generated columns or secrets), {k:"object", key, contentType, data (base64)} (image originals and thumbnails) and
{k:"stock", table:"levels"|"ledger", row} (from the Inventory objects), in restore order. See the README for what is and is not carried.`

const startExport = createRoute({
  method: 'post',
  path: '/v1/tenant/exports',
  tags: ['Tenant'],
  summary: 'Start building an archive of the whole tenant (owner)',
  description: FORMAT,
  middleware: requireMember('owner'),
  security: MEMBER_CREDENTIAL,
  responses: { 202: json('Accepted; poll it until completed, then download'), ...common },
})
const exportStatus = createRoute({
  method: 'get',
  path: '/v1/tenant/exports/{id}',
  tags: ['Tenant'],
  summary: 'State and progress of an export (owner)',
  middleware: requireMember('owner'),
  security: MEMBER_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 200: json('The export'), ...common, 404: errorResponse('No such export in this tenant') },
})
const download = createRoute({
  method: 'get',
  path: '/v1/tenant/exports/{id}/download',
  tags: ['Tenant'],
  summary: 'Download a completed export (owner)',
  description: FORMAT,
  middleware: requireMember('owner'),
  security: MEMBER_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: {
    200: { description: 'The archive as a file of JSON lines, streamed', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...common,
    404: errorResponse('No such export in this tenant'),
    409: errorResponse('The export has not completed'),
  },
})
const startImport = createRoute({
  method: 'post',
  path: '/v1/tenant/imports',
  tags: ['Tenant'],
  summary: 'Restore an archive into this tenant, which must be empty (owner)',
  description: `${FORMAT}\nEvery id is remapped for the new tenant; webhook endpoints come back disabled with a new signing secret, AI providers without their keys.`,
  middleware: requireMember('owner'),
  security: MEMBER_CREDENTIAL,
  request: { body: { required: true, content: { 'application/x-ndjson': { schema: z.string() } } } },
  responses: {
    202: json('Accepted; poll it until completed'),
    400: errorResponse('Not a valid archive (nothing was written)'),
    ...common,
    409: errorResponse('The tenant already has data, or another restore is running'),
  },
})
const importStatus = createRoute({
  method: 'get',
  path: '/v1/tenant/imports/{id}',
  tags: ['Tenant'],
  summary: 'State and progress of a restore (owner)',
  middleware: requireMember('owner'),
  security: MEMBER_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 200: json('The restore'), ...common, 404: errorResponse('No such restore in this tenant') },
})

type ArchiveRow = typeof tenantArchives.$inferSelect

function archiveJson(row: ArchiveRow) {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    progress: row.progress,
    error: row.error,
    downloadUrl: row.kind === 'export' && row.state === 'completed' ? `/v1/tenant/exports/${row.id}/download` : null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }
}

async function findArchive(db: Database, tenantId: string, id: string, kind: ArchiveKind): Promise<ArchiveRow> {
  const [row] = await db
    .select()
    .from(tenantArchives)
    .where(and(eq(tenantArchives.id, id), eq(tenantArchives.tenantId, tenantId), eq(tenantArchives.kind, kind)))
  if (!row) throw new ApiError('not_found', `No such ${kind} in this tenant`)
  return row
}

/** The archive as one stream: the manifest line, then every part in order, read from R2 one part at a time. */
function archiveStream(bucket: R2Bucket, manifest: string, prefix: string, parts: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let next = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next === 0) {
        next = 1
        controller.enqueue(encoder.encode(manifest + '\n'))
        return
      }
      if (next > parts) {
        controller.close()
        return
      }
      const object = await bucket.get(archivePartKey(prefix, next))
      next += 1
      if (!object) {
        controller.error(new Error(`part ${next - 1} of the archive is missing`))
        return
      }
      controller.enqueue(new Uint8Array(await object.arrayBuffer()))
    },
  })
}

export const tenantArchiveRoutes = createRouter()
  .openapi(startExport, async (c) => {
    const caller = c.var.caller
    const db = c.var.db.get()
    const id = crypto.randomUUID()
    const r2Prefix = archivePrefix(caller.tenantId, id)
    const [row] = await db.insert(tenantArchives).values({ id, tenantId: caller.tenantId, kind: 'export', r2Prefix, createdBy: caller.kind === 'user' ? caller.userId : null }).returning()
    if (!row) throw new Error('the export row was not written')
    await recordAudit(db, caller, { action: 'tenant.export_started', targetType: 'tenant_archive', targetId: id, details: {} })
    const shardCount = await tenantShardCount(caller.tenantId, () => db)
    await c.env.TENANT_ARCHIVE.get(c.env.TENANT_ARCHIVE.idFromName(id)).start({ archiveId: id, tenantId: caller.tenantId, kind: 'export', r2Prefix, shardCount })
    return c.json(archiveJson(row), 202)
  })
  .openapi(exportStatus, async (c) => c.json(archiveJson(await findArchive(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id, 'export')), 200))
  .openapi(download, async (c) => {
    const row = await findArchive(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id, 'export')
    if (row.state !== 'completed') throw new ApiError('archive_not_ready', `The export is ${row.state}; download it once it has completed`, { details: { state: row.state } })
    const manifest = await c.env.MEDIA.get(manifestKey(row.r2Prefix))
    if (!manifest) throw new ApiError('not_found', 'The archive is no longer stored')
    const { parts, ...line } = (await manifest.json()) as Record<string, unknown> & { parts: number }
    const body = archiveStream(c.env.MEDIA, JSON.stringify(line), row.r2Prefix, parts)
    return c.body(body, 200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="tenant-${row.tenantId}-${row.id}.jsonl"` })
  })
  .openapi(startImport, async (c) => {
    const caller = c.var.caller
    const db = c.var.db.get()
    const busy = await db
      .select({ id: tenantArchives.id })
      .from(tenantArchives)
      .where(and(eq(tenantArchives.tenantId, caller.tenantId), eq(tenantArchives.kind, 'import'), inArray(tenantArchives.state, ['queued', 'running', 'completed'])))
    if (busy.length > 0) throw new ApiError('tenant_not_empty', 'An archive has already been restored (or is being restored) into this tenant', { details: { importId: busy[0]?.id } })
    const filled = await nonEmptyTables(db, caller.tenantId)
    if (filled.length > 0) {
      throw new ApiError('tenant_not_empty', `An archive is restored only into an empty tenant; this one already has ${filled.join(', ')}`, { details: { tables: filled } })
    }
    const id = crypto.randomUUID()
    const r2Prefix = archivePrefix(caller.tenantId, id)
    const uploaded = await storeUpload(c.req.raw.body, c.env.MEDIA, r2Prefix)
    const [row] = await db.insert(tenantArchives).values({ id, tenantId: caller.tenantId, kind: 'import', r2Prefix, createdBy: caller.kind === 'user' ? caller.userId : null }).returning()
    if (!row) throw new Error('the import row was not written')
    await recordAudit(db, caller, { action: 'tenant.import_started', targetType: 'tenant_archive', targetId: id, details: { sourceTenantId: uploaded.manifest.tenantId, counts: uploaded.manifest.counts } })
    await c.env.TENANT_ARCHIVE.get(c.env.TENANT_ARCHIVE.idFromName(id)).start({
      archiveId: id,
      tenantId: caller.tenantId,
      kind: 'import',
      r2Prefix,
      shardCount: uploaded.shardCount,
      sourceTenantId: uploaded.manifest.tenantId,
      parts: uploaded.parts,
    })
    return c.json(archiveJson(row), 202)
  })
  .openapi(importStatus, async (c) => c.json(archiveJson(await findArchive(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id, 'import')), 200))
