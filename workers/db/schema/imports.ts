// Catalog imports: one row per uploaded CSV, the status and counts a client polls while a CatalogImport object works through it.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]

/** One problem with one cell (or row) of an imported file; row 1 is the header, so data starts at row 2. */
export interface ImportRowError {
  row: number
  field: string
  message: string
}

export const catalogImports = pgTable(
  'catalog_imports',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('queued'),
    /** Where the uploaded file is kept in the MEDIA bucket. */
    r2Key: text('r2_key').notNull(),
    bytes: integer('bytes').notNull(),
    totalRows: integer('total_rows').notNull(),
    processedRows: integer('processed_rows').notNull().default(0),
    createdRows: integer('created_rows').notNull().default(0),
    updatedRows: integer('updated_rows').notNull().default(0),
    unchangedRows: integer('unchanged_rows').notNull().default(0),
    failedRows: integer('failed_rows').notNull().default(0),
    /** The first errors found, capped (see MAX_STORED_IMPORT_ERRORS). */
    errors: jsonb('errors').$type<ImportRowError[]>().notNull().default([]),
    failureReason: text('failure_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('catalog_imports_tenant_created_idx').on(t.tenantId, t.createdAt.desc())],
)
