// Variants of a product: list, add, update and remove, with SKUs unique per tenant and attributes validated.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq } from 'drizzle-orm'
import { recordVariantChange } from '../../catalog/product-events'
import { assertAttributes } from '../../catalog/attributes'
import { assertVariantAttributes, catalogDefinitions, loadProduct, rethrowSkuConflict, variantValues } from '../../catalog/products'
import { registerCatalogSkus } from '../../catalog/stock'
import type { Database } from '../../db/client'
import { products, variants } from '../../db/schema/catalog'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { VariantInputSchema, VariantPatchSchema, VariantSchema } from './schemas'

const ProductParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const VariantParams = ProductParam.extend({ variantId: z.uuid().openapi({ param: { name: 'variantId', in: 'path' } }) })

const one = (description: string) => jsonResponse(description, VariantSchema)

async function assertProduct(db: Database, tenantId: string, productId: string): Promise<void> {
  const [found] = await db.select({ id: products.id }).from(products).where(and(eq(products.id, productId), eq(products.tenantId, tenantId)))
  if (!found) throw new ApiError('not_found', 'No product with this id')
}

async function variantOf(db: Database, tenantId: string, productId: string, variantId: string) {
  const product = await loadProduct(db, tenantId, productId)
  const variant = product.variants.find((v) => v.id === variantId)
  if (!variant) throw new ApiError('not_found', 'No variant with this id on this product')
  return variant
}

const list = createRoute({
  method: 'get',
  path: '/v1/products/{id}/variants',
  tags: ['Catalog'],
  summary: 'Variants of a product',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: ProductParam },
  responses: { 200: { description: 'Variants', content: { 'application/json': { schema: z.object({ data: z.array(VariantSchema) }) } } }, 404: errorResponse('No such product') },
})
const create = createRoute({
  method: 'post',
  path: '/v1/products/{id}/variants',
  tags: ['Catalog'],
  summary: 'Add a variant',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: ProductParam, body: jsonBody(VariantInputSchema) },
  responses: { 201: one('Created'), 404: errorResponse('No such product'), 409: errorResponse('SKU taken') },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/products/{id}/variants/{variantId}',
  tags: ['Catalog'],
  summary: 'Update a variant',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: VariantParams, body: jsonBody(VariantPatchSchema) },
  responses: { 200: one('Updated'), 404: errorResponse('No such variant'), 409: errorResponse('SKU taken') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/products/{id}/variants/{variantId}',
  tags: ['Catalog'],
  summary: 'Remove a variant',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: VariantParams },
  responses: { 204: { description: 'Removed' }, 404: errorResponse('No such variant') },
})

export const variantRoutes = createRouter()
  .openapi(list, async (c) => {
    const product = await loadProduct(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id)
    return c.json({ data: product.variants }, 200)
  })
  .openapi(create, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    await assertProduct(db, caller.tenantId, id)
    assertVariantAttributes((await catalogDefinitions(db, caller.tenantId)).variant, [input], 'variant')
    const existing = await db.select({ id: variants.id }).from(variants).where(eq(variants.productId, id)).orderBy(asc(variants.position))
    const variantId = await db
      .transaction(async (tx) => {
        const [row] = await tx.insert(variants).values(variantValues(caller.tenantId, id, input, existing.length)).returning({ id: variants.id })
        if (!row) throw new Error('insert returned no row')
        await recordAudit(tx, caller, { action: 'variant.created', targetType: 'variant', targetId: row.id, details: { productId: id, sku: input.sku } })
        await recordVariantChange(tx, caller.tenantId, id)
        return row.id
      })
      .catch((error: unknown) => rethrowSkuConflict(error, [input.sku]))
    await registerCatalogSkus(c, [input.sku])
    return c.json(await variantOf(db, caller.tenantId, id, variantId), 201)
  })
  .openapi(patch, async (c) => {
    const { id, variantId } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    await variantOf(db, caller.tenantId, id, variantId)
    if (input.attributes !== undefined) assertAttributes((await catalogDefinitions(db, caller.tenantId)).variant, input.attributes)
    await db
      .transaction(async (tx) => {
        await tx
          .update(variants)
          .set({ ...input, updatedAt: new Date() })
          .where(and(eq(variants.id, variantId), eq(variants.tenantId, caller.tenantId)))
        await recordAudit(tx, caller, { action: 'variant.updated', targetType: 'variant', targetId: variantId, details: { fields: Object.keys(input) } })
        await recordVariantChange(tx, caller.tenantId, id)
      })
      .catch((error: unknown) => rethrowSkuConflict(error, input.sku ? [input.sku] : []))
    return c.json(await variantOf(db, caller.tenantId, id, variantId), 200)
  })
  .openapi(remove, async (c) => {
    const { id, variantId } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [deleted] = await tx
        .delete(variants)
        .where(and(eq(variants.id, variantId), eq(variants.productId, id), eq(variants.tenantId, caller.tenantId)))
        .returning({ sku: variants.sku })
      if (!deleted) throw new ApiError('not_found', 'No variant with this id on this product')
      await recordAudit(tx, caller, { action: 'variant.deleted', targetType: 'variant', targetId: variantId, details: { sku: deleted.sku } })
      await recordVariantChange(tx, caller.tenantId, id)
    })
    return c.body(null, 204)
  })
