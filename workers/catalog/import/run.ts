// Runs one chunk of an import: plans every group, and (unless it is a dry run) writes each changed group in its own short
// transaction, so a bad or conflicting group is reported and skipped and never leaves a half-written product.
import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { isUniqueViolation } from '../../db/errors'
import { products, variants } from '../../db/schema/catalog'
import type { ImportRowError } from '../../db/schema/imports'
import { ApiError } from '../../lib/errors'
import { chooseSlug, type CatalogDefinitions } from '../products'
import { recordProductCreated, recordProductUpdated } from '../product-events'
import type { RowGroup } from './columns'
import { loadLookups, planGroup, type GroupPlan } from './plan'

/** Rows by what happened to them. */
export interface ImportCounts {
  created: number
  updated: number
  unchanged: number
  failed: number
}

/** The outcome of one chunk. */
export interface ChunkReport {
  counts: ImportCounts
  errors: ImportRowError[]
  /** SKUs of the variants this chunk created, for the Inventory objects to register. */
  createdSkus: string[]
}

/** Zero counts. */
export function emptyCounts(): ImportCounts {
  return { created: 0, updated: 0, unchanged: 0, failed: 0 }
}

/** Adds `more` into `into`. */
export function addCounts(into: ImportCounts, more: ImportCounts): void {
  into.created += more.created
  into.updated += more.updated
  into.unchanged += more.unchanged
  into.failed += more.failed
}

/** Plans `groups` and, when `write` is set, applies each valid group that changes something. */
export async function processChunk(db: Database, tenantId: string, groups: RowGroup[], definitions: CatalogDefinitions, write: boolean): Promise<ChunkReport> {
  const lookups = await loadLookups(db, tenantId, groups)
  const counts = emptyCounts()
  const errors: ImportRowError[] = []
  const createdSkus: string[] = []
  for (const group of groups) {
    const result = planGroup(group, lookups, definitions)
    if ('errors' in result) {
      counts.failed += group.rows.length
      errors.push(...result.errors)
      continue
    }
    const { plan } = result
    const failure = write ? await writeGroup(db, tenantId, plan) : undefined
    if (failure) {
      counts.failed += group.rows.length
      errors.push(failure)
      continue
    }
    for (const { outcome } of plan.outcomes) counts[outcome] += 1
    if (write) createdSkus.push(...plan.inserts.map((v) => v.sku))
  }
  return { counts, errors, createdSkus }
}

function hasWrites(plan: GroupPlan): boolean {
  return !plan.productId || Object.keys(plan.productChanges).length > 0 || plan.inserts.length > 0 || plan.updates.length > 0
}

/** Writes one group in one transaction; a conflict with a concurrent writer becomes the group's error. */
async function writeGroup(db: Database, tenantId: string, plan: GroupPlan): Promise<ImportRowError | undefined> {
  if (!hasWrites(plan)) return undefined
  try {
    await db.transaction(async (tx) => {
      let productId = plan.productId
      if (!productId) {
        const slug = await chooseSlug(tx, tenantId, plan.product.name, plan.product.slug)
        const [created] = await tx
          .insert(products)
          .values({ ...plan.product, tenantId, slug })
          .returning({ id: products.id, name: products.name, slug: products.slug, status: products.status })
        if (!created) throw new Error('insert returned no row')
        productId = created.id
        await recordProductCreated(tx, tenantId, created, 'import')
      } else {
        if (Object.keys(plan.productChanges).length > 0) {
          await tx
            .update(products)
            .set({ ...plan.productChanges, updatedAt: new Date() })
            .where(eq(products.id, productId))
        }
        const fields = [...Object.keys(plan.productChanges), ...(plan.inserts.length + plan.updates.length > 0 ? ['variants'] : [])]
        await recordProductUpdated(tx, tenantId, { id: productId, name: plan.productChanges.name ?? plan.product.name }, fields)
      }
      const owner = productId
      if (plan.inserts.length > 0) await tx.insert(variants).values(plan.inserts.map(({ row: _row, ...v }) => ({ ...v, tenantId, productId: owner })))
      for (const update of plan.updates) {
        await tx
          .update(variants)
          .set({ ...update.changes, updatedAt: new Date() })
          .where(eq(variants.id, update.id))
      }
    })
    return undefined
  } catch (error) {
    if ((error instanceof ApiError && error.code === 'slug_taken') || isUniqueViolation(error, 'products_tenant_slug_key')) {
      return { row: plan.firstRow, field: 'product_slug', message: 'another product took this slug while the import ran' }
    }
    if (isUniqueViolation(error, 'variants_tenant_sku_key')) {
      return { row: plan.firstRow, field: 'sku', message: 'another product took one of these skus while the import ran' }
    }
    throw error
  }
}
