// Bulk catalog routes: CSV import (a dry run answers with the full report; a real run is queued to a CatalogImport
// object and polled), import status, and the streamed CSV or JSON export that re-imports unchanged.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import { MAX_STORED_IMPORT_ERRORS } from '../../../durable-objects/catalog-import'
import { exportCatalog } from '../../catalog/export'
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../catalog/import/columns'
import { chunkBounds, decodeUtf8, materializeGroups, scanImportFile } from '../../catalog/import/file'
import { addCounts, emptyCounts, processChunk } from '../../catalog/import/run'
import { catalogDefinitions } from '../../catalog/products'
import { createDatabase } from '../../db/client'
import { catalogImports, IMPORT_STATUSES, type ImportRowError } from '../../db/schema/imports'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { UuidParamSchema } from '../../lib/schemas'
import { requireScope } from '../../middleware/authenticate'

/** Rows a dry run plans per batch of lookups. */
const DRY_RUN_CHUNK_ROWS = 500
/** Errors a dry-run report lists; a file with more still has every failed row counted. */
const MAX_DRY_RUN_ERRORS = 10_000

const FORMAT = `One row per variant, UTF-8 CSV (RFC 4180), header first (row 1; data starts at row 2).
Columns: sku (required), product_slug and/or product_name (the product key: rows with the same key make one product),
name (variant name), description, status (draft|active|archived), category (a category slug), brand, tags (|-separated),
seo_title, seo_description, price, compare_at_price, cost (integers in minor units), currency (ISO 4217), weight_grams,
barcode, active (true|false), option:<name> (variant options), attr:<key> and variant_attr:<key> (attribute values typed by
their definitions; multi-option lists |-separated). Product columns are read from the first row of each product.
An existing SKU updates its variant and product; a column missing from the header leaves the stored value alone and an
empty cell clears it. Each product is written in one transaction; a product with any bad row is skipped and reported.
At most ${MAX_IMPORT_BYTES} bytes (413) and ${MAX_IMPORT_ROWS} rows (400).`

const RowErrorSchema = z.object({ row: z.number().int(), field: z.string(), message: z.string() }).openapi('ImportRowError')
const CountsSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), failed: z.number().int() })
const DryRunSchema = z
  .object({ dryRun: z.literal(true), totalRows: z.number().int(), counts: CountsSchema, errors: z.array(RowErrorSchema), errorsTruncated: z.boolean() })
  .openapi('ImportDryRun')
const ImportSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(IMPORT_STATUSES),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    counts: CountsSchema,
    errors: z.array(RowErrorSchema).openapi({ description: `The first ${MAX_STORED_IMPORT_ERRORS} errors` }),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('CatalogImport')

const importRoute = createRoute({
  method: 'post',
  path: '/v1/products/import',
  tags: ['Catalog'],
  summary: 'Import products and variants from CSV (create or update by SKU)',
  description: FORMAT,
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: {
    query: z.object({ dryRun: z.enum(['true', 'false']).default('false').openapi({ description: 'true: validate and report, write nothing' }) }),
    body: { required: true, content: { 'text/csv': { schema: z.string() } } },
  },
  responses: {
    200: { description: 'Dry run: the full per-row report', content: { 'application/json': { schema: DryRunSchema } } },
    202: { description: 'Accepted; poll the import', content: { 'application/json': { schema: ImportSchema } } },
    400: errorResponse('Not CSV, bad header, no rows or too many rows'),
    413: errorResponse('File too large'),
    415: errorResponse('Not text/csv'),
  },
})
const statusRoute = createRoute({
  method: 'get',
  path: '/v1/products/imports/{id}',
  tags: ['Catalog'],
  summary: 'Status and progress of an import',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 200: { description: 'The import', content: { 'application/json': { schema: ImportSchema } } }, 404: errorResponse('No such import') },
})
const exportRoute = createRoute({
  method: 'get',
  path: '/v1/products/export',
  tags: ['Catalog'],
  summary: 'Stream every product and variant in the import format',
  description: 'CSV with the import columns, or a JSON array of objects keyed by the same columns (cells as text). A product without variants is one row with an empty sku.',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: z.object({ format: z.enum(['csv', 'json']).default('csv') }) },
  responses: { 200: { description: 'The catalog', content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.array(z.record(z.string(), z.string())) } } } },
})

type ImportRow = typeof catalogImports.$inferSelect

function importJson(row: ImportRow) {
  return {
    id: row.id,
    status: row.status,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    counts: { created: row.createdRows, updated: row.updatedRows, unchanged: row.unchangedRows, failed: row.failedRows },
    errors: row.errors,
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }
}

/** Reads a text/csv body within MAX_IMPORT_BYTES: 415 for another type, 413 past the cap. */
async function readCsvBody(request: Request): Promise<{ text: string; bytes: number }> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^text\/csv\b/i.test(type)) throw new ApiError('unsupported_media_type', 'Send the file as text/csv', { details: { contentType: type } })
  const tooLarge = () => new ApiError('payload_too_large', `An import file holds at most ${MAX_IMPORT_BYTES} bytes`, { details: { maxBytes: MAX_IMPORT_BYTES } })
  if (Number(request.headers.get('content-length') ?? 0) > MAX_IMPORT_BYTES) throw tooLarge()
  const bytes = await request.arrayBuffer()
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw tooLarge()
  return { text: decodeUtf8(bytes), bytes: bytes.byteLength }
}

export const bulkProductRoutes = createRouter()
  .openapi(importRoute, async (c) => {
    const { text, bytes } = await readCsvBody(c.req.raw)
    const file = scanImportFile(text)
    const caller = c.var.caller
    const db = c.var.db.get()
    if (c.req.valid('query').dryRun === 'true') {
      const definitions = await catalogDefinitions(db, caller.tenantId)
      const counts = emptyCounts()
      const errors: ImportRowError[] = []
      for (const bounds of chunkBounds(file, DRY_RUN_CHUNK_ROWS)) {
        const report = await processChunk(db, caller.tenantId, materializeGroups(file, bounds), definitions, false)
        addCounts(counts, report.counts)
        errors.push(...report.errors.slice(0, MAX_DRY_RUN_ERRORS - errors.length))
      }
      return c.json({ dryRun: true as const, totalRows: file.rowStarts.length, counts, errors, errorsTruncated: errors.length >= MAX_DRY_RUN_ERRORS }, 200)
    }
    const id = crypto.randomUUID()
    const r2Key = `t/${caller.tenantId}/imports/${id}.csv`
    await c.env.MEDIA.put(r2Key, text, { httpMetadata: { contentType: 'text/csv; charset=utf-8' } })
    const row = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(catalogImports)
        .values({ id, tenantId: caller.tenantId, r2Key, bytes, totalRows: file.rowStarts.length })
        .returning()
      if (!created) throw new Error('insert returned no row')
      await recordAudit(tx, caller, { action: 'catalog.import_started', targetType: 'catalog_import', targetId: id, details: { rows: created.totalRows } })
      return created
    })
    await c.env.CATALOG_IMPORT.get(c.env.CATALOG_IMPORT.idFromName(id)).start({ importId: id, tenantId: caller.tenantId, r2Key })
    return c.json(importJson(row), 202)
  })
  .openapi(statusRoute, async (c) => {
    const [row] = await c.var.db
      .get()
      .select()
      .from(catalogImports)
      .where(and(eq(catalogImports.id, c.req.valid('param').id), eq(catalogImports.tenantId, c.var.caller.tenantId)))
    if (!row) throw new ApiError('not_found', 'No import with this id')
    return c.json(importJson(row), 200)
  })
  .openapi(exportRoute, async (c) => {
    const { format } = c.req.valid('query')
    const client = createDatabase({ url: c.env.DATABASE_URL, driver: c.env.DATABASE_DRIVER })
    const stream = exportCatalog(client, c.var.caller.tenantId, format)
    const headers = {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="catalog.${format}"`,
    }
    return c.body(stream, 200, headers)
  })
