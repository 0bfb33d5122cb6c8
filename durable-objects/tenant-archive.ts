// One object per tenant archive job (named by its id): its alarm builds an export one page at a time into R2 parts,
// or restores an uploaded archive one part at a time, keeping cursor, counts and what it wrote in SQLite so a restart
// resumes where it stopped and a failed restore is undone. Status and progress are published to tenant_archives.
import { DurableObject } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, archiveLine, sectionOf, type ArchiveLine, type ManifestLine } from '../workers/archive/format'
import { exportSections, exportStep, type SectionCursor } from '../workers/archive/export'
import { archivePartKey, manifestKey } from '../workers/archive/storage'
import { applyDeferred, currentPreferences, noPartEffects, restorePart, undoRestore, type PartEffects, type PreferenceRow, type RestoreState } from '../workers/archive/restore'
import { createDatabase, type Database } from '../workers/db/client'
import { tenantArchives, type ArchiveKind, type ArchiveProgress, type ArchiveState } from '../workers/db/schema/archives'

/** Export pages per alarm: each is one bounded query or a few R2 reads, far inside an alarm's 15-minute limit (https://developers.cloudflare.com/durable-objects/api/alarms/). */
const EXPORT_STEPS_PER_ALARM = 10
/** Failed alarms retried (with backoff) before the job is marked failed. */
const MAX_ATTEMPTS = 5
const RETRY_BASE_MS = 2_000

/** What the Worker hands the object when a job is accepted. */
export interface ArchiveJob {
  archiveId: string
  tenantId: string
  kind: ArchiveKind
  r2Prefix: string
  shardCount: number
  /** Imports only: the archive's source tenant and how many parts the upload was split into. */
  sourceTenantId?: string
  parts?: number
}

interface JobRow extends ArchiveJob {
  section: number
  cursor: SectionCursor
  written: number
  counts: ArchiveProgress
  attempts: number
  finished: boolean
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS job (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS users (source TEXT PRIMARY KEY, target TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS written (kind TEXT NOT NULL, value TEXT NOT NULL)`,
]

/** Runs one export or import; `start` is idempotent, the alarm does the work. */
export class TenantArchive extends DurableObject<Env> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    void ctx.blockConcurrencyWhile(async () => {
      for (const statement of SCHEMA) this.sql.exec(statement)
    })
  }

  /** Records the job (once) and schedules its first step now. */
  async start(job: ArchiveJob): Promise<void> {
    const row: JobRow = { ...job, section: 0, cursor: null, written: 0, counts: {}, attempts: 0, finished: false }
    this.sql.exec('INSERT OR IGNORE INTO job (id, body) VALUES (1, ?)', JSON.stringify(row))
    if (!this.job()?.finished) await this.ctx.storage.setAlarm(Date.now())
  }

  /** Does the next bounded piece of work, publishes progress, and schedules the next (or finishes). */
  override async alarm(): Promise<void> {
    const job = this.job()
    if (!job || job.finished) return
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    try {
      const done = job.kind === 'export' ? await this.exportSome(client.db, job) : await this.importPart(client.db, job)
      job.attempts = 0
      this.save(job)
      if (done) {
        await publish(client.db, job, 'completed')
        job.finished = true
        this.save(job)
        return
      }
      await publish(client.db, job, 'running')
      await this.ctx.storage.setAlarm(Date.now())
    } catch (error) {
      job.attempts += 1
      this.save(job)
      const reason = error instanceof Error ? error.message : String(error)
      console.warn(JSON.stringify({ level: 'warn', msg: 'tenant archive step failed', archiveId: job.archiveId, kind: job.kind, attempts: job.attempts, reason }))
      if (job.attempts < MAX_ATTEMPTS) await this.ctx.storage.setAlarm(Date.now() + RETRY_BASE_MS * 2 ** (job.attempts - 1))
      else await this.fail(client.db, job, reason).catch(() => undefined)
    } finally {
      await client.close()
    }
  }

  /** Writes up to EXPORT_STEPS_PER_ALARM pages as parts; true once the manifest is written. */
  private async exportSome(db: Database, job: JobRow): Promise<boolean> {
    const sections = exportSections(job.shardCount)
    for (let step = 0; step < EXPORT_STEPS_PER_ALARM; step++) {
      const section = sections[job.section]
      if (!section) {
        const manifest: ManifestLine = { k: 'manifest', format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, tenantId: job.tenantId, exportedAt: new Date().toISOString(), counts: job.counts }
        await this.env.MEDIA.put(manifestKey(job.r2Prefix), JSON.stringify({ ...manifest, parts: job.written }), { httpMetadata: { contentType: 'application/json' } })
        return true
      }
      const { lines, next } = await exportStep({ db, env: this.env, tenantId: job.tenantId }, section, job.cursor)
      if (lines.length > 0) {
        const body = lines.map((line) => JSON.stringify(line)).join('\n') + '\n'
        await this.env.MEDIA.put(archivePartKey(job.r2Prefix, job.written + 1), body, { httpMetadata: { contentType: 'application/x-ndjson' } })
        job.written += 1
        for (const line of lines) job.counts[sectionOf(line)] = (job.counts[sectionOf(line)] ?? 0) + 1
      }
      if (next === null) {
        job.section += 1
        job.cursor = null
      } else job.cursor = next
      this.save(job)
    }
    return false
  }

  /** Restores the next uploaded part; true after the last one (and its deferred references). */
  private async importPart(db: Database, job: JobRow): Promise<boolean> {
    const state = this.restoreState(job)
    if (job.written >= (job.parts ?? 0)) {
      await applyDeferred(db, job.tenantId, this.writtenOf('deferred').map((v) => JSON.parse(v) as PartEffects['deferred'][number]))
      return true
    }
    // Before the first part: the target's own notification preferences, which a failed restore puts back.
    if (this.writtenOf('previousPreferences').length === 0) {
      const previous = await currentPreferences(db, job.tenantId)
      this.sql.exec('INSERT INTO written (kind, value) VALUES (?, ?)', 'previousPreferences', JSON.stringify(previous))
    }
    const object = await this.env.MEDIA.get(archivePartKey(job.r2Prefix, job.written + 1))
    if (!object) throw new Error(`part ${job.written + 1} of the uploaded archive is no longer stored`)
    const lines = (await object.text())
      .split('\n')
      .filter((text) => text.length > 0)
      .map((text) => archiveLine.parse(JSON.parse(text)) as ArchiveLine)
    const effects = noPartEffects()
    try {
      await restorePart(db, this.env, state, lines, effects)
    } catch (error) {
      // The undo must know what this attempt wrote before it failed: the next attempt finds it there and reports nothing.
      this.ctx.storage.transactionSync(() => this.record(state, effects))
      throw error
    }
    this.ctx.storage.transactionSync(() => {
      this.record(state, effects)
      for (const line of lines) job.counts[sectionOf(line)] = (job.counts[sectionOf(line)] ?? 0) + 1
      job.written += 1
      this.save(job)
    })
    return false
  }

  /** Keeps the account mapping and what a part wrote, for the parts after it and for the undo of a failed restore. */
  private record(state: RestoreState, effects: PartEffects): void {
    for (const [source, target] of state.users) this.sql.exec('INSERT OR REPLACE INTO users (source, target) VALUES (?, ?)', source, target)
    const record = (kind: string, values: unknown[]) => values.forEach((v) => this.sql.exec('INSERT INTO written (kind, value) VALUES (?, ?)', kind, typeof v === 'string' ? v : JSON.stringify(v)))
    record('createdUser', effects.createdUsers)
    record('addedMember', effects.addedMembers)
    record('objectKey', effects.objectKeys)
    record('deferred', effects.deferred)
    record('history', effects.historyIds)
    if (effects.previousSettings && this.writtenOf('previousSettings').length === 0) record('previousSettings', [effects.previousSettings])
  }

  /** Marks the job failed; a failed import first removes everything it wrote. */
  private async fail(db: Database, job: JobRow, reason: string): Promise<void> {
    if (job.kind === 'import') {
      const previous = this.writtenOf('previousSettings')[0]
      await undoRestore(db, this.env, this.restoreState(job), {
        createdUsers: this.writtenOf('createdUser'),
        addedMembers: this.writtenOf('addedMember'),
        objectKeys: this.writtenOf('objectKey'),
        historyIds: this.writtenOf('history').map((v) => JSON.parse(v) as { table: string; id: string }),
        ...(previous ? { previousSettings: JSON.parse(previous) as Record<string, unknown> } : {}),
        previousPreferences: this.writtenOf('previousPreferences').flatMap((v) => JSON.parse(v) as PreferenceRow[]),
      })
    }
    await publish(db, job, 'failed', reason)
    job.finished = true
    this.save(job)
  }

  private restoreState(job: JobRow): RestoreState {
    const users = new Map(this.sql.exec<{ source: string; target: string }>('SELECT source, target FROM users').toArray().map((r) => [r.source, r.target] as const))
    return { sourceTenantId: job.sourceTenantId ?? '', tenantId: job.tenantId, shardCount: job.shardCount, users }
  }

  private writtenOf(kind: string): string[] {
    return this.sql
      .exec<{ value: string }>('SELECT value FROM written WHERE kind = ? ORDER BY rowid', kind)
      .toArray()
      .map((r) => r.value)
  }

  private job(): JobRow | undefined {
    const [row] = this.sql.exec<{ body: string }>('SELECT body FROM job WHERE id = 1').toArray()
    return row ? (JSON.parse(row.body) as JobRow) : undefined
  }

  private save(job: JobRow): void {
    this.sql.exec('UPDATE job SET body = ? WHERE id = 1', JSON.stringify(job))
  }
}

/** Writes the job's state, progress and error to its tenant_archives row. */
async function publish(db: Database, job: JobRow, state: ArchiveState, error?: string): Promise<void> {
  const finished = state === 'completed' || state === 'failed'
  await db
    .update(tenantArchives)
    .set({ state, progress: job.counts, error: error ?? null, updatedAt: new Date(), ...(finished ? { finishedAt: new Date() } : {}) })
    .where(eq(tenantArchives.id, job.archiveId))
}
