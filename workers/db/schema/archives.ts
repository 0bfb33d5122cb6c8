// Tenant archives: one row per export (a tenant written to R2) or import (an archive restored into an empty tenant),
// the state and per-section progress a client polls while a TenantArchive object does the work.
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const ARCHIVE_KINDS = ['export', 'import'] as const
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number]
export const ARCHIVE_STATES = ['queued', 'running', 'completed', 'failed'] as const
export type ArchiveState = (typeof ARCHIVE_STATES)[number]

/** Rows (or objects) done per section, keyed by section name (a table, `objects`, `inventory.levels`…). */
export type ArchiveProgress = Record<string, number>

export const tenantArchives = pgTable(
  'tenant_archives',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ARCHIVE_KINDS }).notNull(),
    state: text('state', { enum: ARCHIVE_STATES }).notNull().default('queued'),
    progress: jsonb('progress').$type<ArchiveProgress>().notNull().default({}),
    /** Where the archive's parts live in the MEDIA bucket (`archives/<tenantId>/<id>/`). */
    r2Prefix: text('r2_prefix').notNull(),
    error: text('error'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('tenant_archives_tenant_created_idx').on(t.tenantId, t.createdAt.desc())],
)
