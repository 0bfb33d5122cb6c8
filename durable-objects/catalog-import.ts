// One object per catalog import (named by the import's id): its alarm works through the uploaded CSV one chunk at a
// time, keeps the cursor and running counts in SQLite, and publishes status and progress to the catalog_imports row.
// Each alarm reads the file from R2 (or its in-memory copy) before touching Postgres, so no transaction waits on R2.
import { DurableObject } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { catalogDefinitions } from '../workers/catalog/products'
import { recordEvent } from '../workers/commerce/events'
import { chunkBounds, decodeUtf8, materializeGroups, rowsIn, scanImportFile, type ImportFile } from '../workers/catalog/import/file'
import { addCounts, processChunk, type ImportCounts } from '../workers/catalog/import/run'
import { createDatabase, type Database } from '../workers/db/client'
import { tenantShardCount } from '../workers/inventory/shard-count'
import { registerSkus } from '../workers/inventory/shards'
import { MAX_BULK_LINES } from './inventory/limits'
import { catalogImports, type ImportRowError, type ImportStatus } from '../workers/db/schema/imports'

/** Rows per alarm: a few batched lookups plus one short transaction per changed product, far inside an alarm's 15-minute wall-clock limit (https://developers.cloudflare.com/durable-objects/api/alarms/). */
export const IMPORT_CHUNK_ROWS = 250
/** Errors kept and shown by the status route; later ones are only counted. */
export const MAX_STORED_IMPORT_ERRORS = 100
/** Failed alarms retried (with backoff) before the import is marked failed. */
const MAX_ATTEMPTS = 5
const RETRY_BASE_MS = 2_000

/** What the Worker hands the object when an upload is accepted. */
export interface ImportJob {
  importId: string
  tenantId: string
  r2Key: string
}

interface JobRow extends ImportCounts {
  importId: string
  tenantId: string
  r2Key: string
  nextChunk: number
  processed: number
  errors: ImportRowError[]
  attempts: number
  finished: boolean
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS job (
  id INTEGER PRIMARY KEY CHECK (id = 1), import_id TEXT NOT NULL, tenant_id TEXT NOT NULL, r2_key TEXT NOT NULL,
  next_chunk INTEGER NOT NULL DEFAULT 0, processed INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]', attempts INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0)`

/** Works through one uploaded file; `start` is idempotent, the alarm does the work. */
export class CatalogImport extends DurableObject<Env> {
  private readonly sql: SqlStorage
  private file: ImportFile | undefined

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(SCHEMA)
    })
  }

  /** Records the job (once) and schedules the first chunk now. */
  async start(job: ImportJob): Promise<void> {
    this.sql.exec('INSERT OR IGNORE INTO job (id, import_id, tenant_id, r2_key) VALUES (1, ?, ?, ?)', job.importId, job.tenantId, job.r2Key)
    if (!this.job()?.finished) await this.ctx.storage.setAlarm(Date.now())
  }

  /** Processes the next chunk, publishes progress, and schedules the one after (or finishes). */
  override async alarm(): Promise<void> {
    const job = this.job()
    if (!job || job.finished) return
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    try {
      const file = await this.loadFile(job)
      if (!file) {
        await this.finish(client.db, job, 'failed', 'the uploaded file is no longer stored')
        return
      }
      const chunks = chunkBounds(file, IMPORT_CHUNK_ROWS)
      const bounds = chunks[job.nextChunk]
      if (bounds) {
        const definitions = await catalogDefinitions(client.db, job.tenantId)
        const report = await processChunk(client.db, job.tenantId, materializeGroups(file, bounds), definitions, true)
        await this.registerSkus(client.db, job, report.createdSkus)
        addCounts(job, report.counts)
        job.processed += rowsIn(file, bounds)
        job.errors = [...job.errors, ...report.errors].slice(0, MAX_STORED_IMPORT_ERRORS)
        job.nextChunk += 1
        job.attempts = 0
        this.save(job)
      }
      if (job.nextChunk >= chunks.length) {
        await this.finish(client.db, job, 'completed')
        return
      }
      await publish(client.db, job, 'running')
      await this.ctx.storage.setAlarm(Date.now())
    } catch (error) {
      job.attempts += 1
      this.save(job)
      const reason = error instanceof Error ? error.message : String(error)
      if (job.attempts >= MAX_ATTEMPTS) await this.finish(client.db, job, 'failed', reason).catch(() => undefined)
      else await this.ctx.storage.setAlarm(Date.now() + RETRY_BASE_MS * 2 ** (job.attempts - 1))
    } finally {
      await client.close()
    }
  }

  /** Registers the chunk's new SKUs with the tenant's Inventory objects (idempotent per chunk, so a retried alarm is harmless). */
  private async registerSkus(db: Database, job: JobRow, skus: string[]): Promise<void> {
    if (skus.length === 0) return
    const inventory = { env: this.env, tenantId: job.tenantId, shardCount: await tenantShardCount(job.tenantId, () => db) }
    for (let start = 0; start < skus.length; start += MAX_BULK_LINES) {
      const batch = skus.slice(start, start + MAX_BULK_LINES).map((sku) => ({ sku }))
      await registerSkus(inventory, { idempotencyKey: `import:${job.importId}:${job.nextChunk}:${start}`, actor: `import:${job.importId}`, skus: batch })
    }
  }

  /** Publishes the final status (with `import.completed` in the same transaction), then marks the job finished, so a failed publish is retried. */
  private async finish(db: Database, job: JobRow, status: ImportStatus, reason?: string): Promise<void> {
    await publish(db, job, status, reason)
    job.finished = true
    this.save(job)
    this.file = undefined
  }

  private async loadFile(job: JobRow): Promise<ImportFile | undefined> {
    if (this.file) return this.file
    const object = await this.env.MEDIA.get(job.r2Key)
    if (!object) return undefined
    this.file = scanImportFile(decodeUtf8(await object.arrayBuffer()))
    return this.file
  }

  private job(): JobRow | undefined {
    const [row] = this.sql.exec<Record<string, string | number>>('SELECT * FROM job WHERE id = 1').toArray()
    if (!row) return undefined
    return {
      importId: String(row.import_id),
      tenantId: String(row.tenant_id),
      r2Key: String(row.r2_key),
      nextChunk: Number(row.next_chunk),
      processed: Number(row.processed),
      created: Number(row.created),
      updated: Number(row.updated),
      unchanged: Number(row.unchanged),
      failed: Number(row.failed),
      errors: JSON.parse(String(row.errors)) as ImportRowError[],
      attempts: Number(row.attempts),
      finished: Number(row.finished) === 1,
    }
  }

  private save(job: JobRow): void {
    this.sql.exec(
      `UPDATE job SET next_chunk = ?, processed = ?, created = ?, updated = ?, unchanged = ?, failed = ?, errors = ?, attempts = ?, finished = ? WHERE id = 1`,
      job.nextChunk,
      job.processed,
      job.created,
      job.updated,
      job.unchanged,
      job.failed,
      JSON.stringify(job.errors),
      job.attempts,
      job.finished ? 1 : 0,
    )
  }
}

/**
 * Writes the job's status, progress and counts to its catalog_imports row. Completing also records `import.completed`
 * (data version 1: `{version, importId, processed, created, updated, unchanged, failed}`) in the same transaction, once:
 * a row already completed is left alone.
 */
async function publish(db: Database, job: JobRow, status: ImportStatus, reason?: string): Promise<void> {
  if (status !== 'completed') return writeStatus(db, job, status, reason)
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ status: catalogImports.status }).from(catalogImports).where(eq(catalogImports.id, job.importId)).for('update')
    if (!row || row.status === 'completed') return
    await writeStatus(tx, job, status, reason)
    const data = { version: 1, importId: job.importId, processed: job.processed, created: job.created, updated: job.updated, unchanged: job.unchanged, failed: job.failed }
    await recordEvent(tx, { tenantId: job.tenantId, type: 'import.completed', subjectType: 'catalog_import', subjectId: job.importId, data })
  })
}

async function writeStatus(db: Database, job: JobRow, status: ImportStatus, reason?: string): Promise<void> {
  const finished = status === 'completed' || status === 'failed'
  await db
    .update(catalogImports)
    .set({
      status,
      processedRows: job.processed,
      createdRows: job.created,
      updatedRows: job.updated,
      unchangedRows: job.unchanged,
      failedRows: job.failed,
      errors: job.errors,
      failureReason: reason ?? null,
      updatedAt: new Date(),
      ...(finished ? { finishedAt: new Date() } : {}),
    })
    .where(eq(catalogImports.id, job.importId))
}
