// Bulk actions on selected products (the admin list's checkboxes): activate, archive, set category or delete up to
// MAX_BULK_PRODUCTS at once, all of them or none (an id that is not the caller's tenant's is a 404 and changes nothing).
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq, inArray } from 'drizzle-orm'
import { recordProductDeleted, recordProductUpdated } from '../../catalog/product-events'
import { assertCategory } from '../../catalog/products'
import { productImages, products } from '../../db/schema/catalog'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody } from '../../lib/openapi'
import { allMediaKeys } from '../../media/keys'
import { requireScope } from '../../middleware/authenticate'
import { refreshCentroidsAfter } from '../../search/centroid-refresh'

/** Products one bulk call may touch: one page of the admin list at its largest. */
export const MAX_BULK_PRODUCTS = 200
export const BULK_PRODUCT_ACTIONS = ['activate', 'archive', 'draft', 'set_category', 'delete'] as const

const BulkActionSchema = z
  .strictObject({
    action: z.enum(BULK_PRODUCT_ACTIONS),
    ids: z
      .array(z.uuid())
      .min(1)
      .max(MAX_BULK_PRODUCTS)
      .refine((ids) => new Set(ids).size === ids.length, 'ids must not repeat'),
    categoryId: z.uuid().nullable().optional().openapi({ description: 'With set_category: the new category, or null for none' }),
  })
  .refine((input) => input.action !== 'set_category' || input.categoryId !== undefined, { message: 'set_category needs categoryId (a category id or null)', path: ['categoryId'] })
  .openapi('ProductBulkAction')

const BulkResultSchema = z
  .object({ action: z.enum(BULK_PRODUCT_ACTIONS), affected: z.number().int().openapi({ description: 'Products changed or deleted' }), ids: z.array(z.uuid()) })
  .openapi('ProductBulkResult')

const bulkAction = createRoute({
  method: 'post',
  path: '/v1/products/bulk',
  tags: ['Catalog'],
  summary: 'Activate, archive, move to draft, set the category of, or delete many products at once (all or none)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(BulkActionSchema) },
  responses: {
    200: { description: 'Done for every product', content: { 'application/json': { schema: BulkResultSchema } } },
    400: errorResponse('Invalid input or an unknown category'),
    404: errorResponse('Some ids are not products of this tenant (listed in details.missing); nothing changed'),
  },
})

/** Keys one R2 `delete` call takes (https://developers.cloudflare.com/r2/api/workers/workers-api-reference/#bucket-method-definitions). */
const R2_DELETE_BATCH = 1000

const STATUS_OF = { activate: 'active', archive: 'archived', draft: 'draft' } as const

export const bulkActionRoutes = createRouter().openapi(bulkAction, async (c) => {
  const input = c.req.valid('json')
  const caller = c.var.caller
  const db = c.var.db.get()
  if (input.action === 'set_category' && input.categoryId) await assertCategory(db, caller.tenantId, input.categoryId)
  const result = await db.transaction(async (tx) => {
    const found = await tx
      .select({ id: products.id, name: products.name, status: products.status, categoryId: products.categoryId })
      .from(products)
      .where(and(eq(products.tenantId, caller.tenantId), inArray(products.id, input.ids)))
      .for('update')
    const known = new Set(found.map((p) => p.id))
    const missing = input.ids.filter((id) => !known.has(id))
    if (missing.length > 0) throw new ApiError('not_found', `${missing.length} of the ids are not products of this tenant`, { details: { missing } })
    const where = and(eq(products.tenantId, caller.tenantId), inArray(products.id, input.ids))
    const objectKeys: string[] = []
    if (input.action === 'delete') {
      const images = await tx.select({ id: productImages.id }).from(productImages).where(and(eq(productImages.tenantId, caller.tenantId), inArray(productImages.productId, input.ids)))
      objectKeys.push(...images.flatMap((image) => allMediaKeys(caller.tenantId, image.id)))
      await tx.delete(products).where(where)
    } else if (input.action === 'set_category') {
      await tx.update(products).set({ categoryId: input.categoryId ?? null, updatedAt: new Date() }).where(where)
    } else {
      await tx.update(products).set({ status: STATUS_OF[input.action], updatedAt: new Date() }).where(where)
    }
    for (const product of found) {
      const action = input.action === 'delete' ? 'product.deleted' : input.action === 'archive' && product.status !== 'archived' ? 'product.archived' : 'product.updated'
      const details = input.action === 'delete' ? { name: product.name, bulk: true } : { fields: [input.action === 'set_category' ? 'categoryId' : 'status'], bulk: true }
      await recordAudit(tx, caller, { action, targetType: 'product', targetId: product.id, details })
      if (input.action === 'delete') await recordProductDeleted(tx, caller.tenantId, product)
      else await recordProductUpdated(tx, caller.tenantId, { ...product, status: input.action === 'set_category' ? product.status : STATUS_OF[input.action] }, [input.action === 'set_category' ? 'categoryId' : 'status'])
    }
    return { found, objectKeys }
  })
  for (let start = 0; start < result.objectKeys.length; start += R2_DELETE_BATCH) {
    c.executionCtx.waitUntil(c.env.MEDIA.delete(result.objectKeys.slice(start, start + R2_DELETE_BATCH)))
  }
  for (const product of result.found) {
    if (input.action === 'delete' && product.categoryId) refreshCentroidsAfter(c, caller.tenantId, product.id, product.categoryId)
    if (input.action === 'set_category' && product.categoryId !== (input.categoryId ?? null)) refreshCentroidsAfter(c, caller.tenantId, product.id, product.categoryId)
  }
  return c.json({ action: input.action, affected: result.found.length, ids: input.ids }, 200)
})
