// Products: list with filters and search, get by id or slug, create with variants, update, archive and hard delete.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import { assertAttributes } from '../../catalog/attributes'
import { PRODUCT_SORTS, searchProductIds } from '../../catalog/product-search'
import { registerCatalogSkus } from '../../catalog/stock'
import {
  assertCategory,
  assertVariantAttributes,
  catalogDefinitions,
  chooseSlug,
  loadProduct,
  loadProducts,
  resolveProductId,
  rethrowSkuConflict,
  variantValues,
} from '../../catalog/products'
import { PRODUCT_INCLUDES, parseIncludes, stockOfProducts, thumbnailsOfProducts } from '../../catalog/product-extras'
import { recordProductCreated, recordProductDeleted, recordProductUpdated } from '../../catalog/product-events'
import { PRODUCT_STATUSES, productImages, products, variants, type AttributeValues } from '../../db/schema/catalog'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { INVALID_CURSOR_RESPONSE, pageOf, PageQuerySchema } from '../../lib/pagination'
import { allMediaKeys } from '../../media/keys'
import { requireScope } from '../../middleware/authenticate'
import { allowStorefront, isPublishable } from '../../middleware/storefront'
import { refreshCentroidsAfter } from '../../search/centroid-refresh'
import { ProductInputSchema, ProductListItemSchema, ProductPatchSchema, ProductSchema, storefrontView } from './schemas'

const IdOrSlugParam = z.object({ id: z.string().min(1).max(120).openapi({ param: { name: 'id', in: 'path' }, description: 'Product id or slug' }) })
const ProductIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })

const ListQuerySchema = PageQuerySchema.extend({
  status: z.enum(PRODUCT_STATUSES).optional(),
  categoryId: z.uuid().optional().openapi({ description: 'Includes every category below it' }),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Text query over name, brand, description and SKU' }),
  minPrice: z.coerce.number().int().min(0).optional().openapi({ description: 'Minor units; a product matches when an active variant is in range' }),
  maxPrice: z.coerce.number().int().min(0).optional(),
  attr: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: 'Attribute filters as key:value, repeatable (attr=color:red&attr=size:M)' }),
  sort: z.enum(PRODUCT_SORTS).optional().openapi({ description: 'Defaults to relevance with q, newest otherwise' }),
  include: z
    .string()
    .regex(new RegExp(`^(${PRODUCT_INCLUDES.join('|')})(,(${PRODUCT_INCLUDES.join('|')}))*$`), `a comma-separated list of ${PRODUCT_INCLUDES.join(', ')}`)
    .optional()
    .openapi({ description: 'Extras per product: stock (summed over its variants from the stock read model), thumbnail (cover image path)', example: 'stock,thumbnail' }),
})

const one = (description: string) => jsonResponse(description, ProductSchema)

/** Parses `key:value` attribute filters, typing each value by the tenant's definition (numbers, booleans, lists). */
export function attributeFilters(raw: string | string[] | undefined, definitions: Awaited<ReturnType<typeof catalogDefinitions>>): AttributeValues[] {
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  return entries.map((entry) => {
    const separator = entry.indexOf(':')
    const key = entry.slice(0, separator)
    const value = entry.slice(separator + 1)
    const def = definitions.product.find((d) => d.key === key)
    if (separator < 1 || !def) {
      throw new ApiError('invalid_request', 'Unknown attribute filter', { details: [{ in: 'query', path: 'attr', message: `"${entry}" is not key:value of a defined attribute`, code: 'custom' }] })
    }
    if (def.type === 'number') return { [key]: Number(value) }
    if (def.type === 'boolean') return { [key]: value === 'true' }
    if (def.type === 'list' && def.multiple) return { [key]: [value] }
    return { [key]: value }
  })
}

const list = createRoute({
  method: 'get',
  path: '/v1/products',
  tags: ['Catalog'],
  summary: 'List and search products (a publishable key gets the storefront view: active products, no cost)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { query: ListQuerySchema },
  responses: {
    200: { description: 'A page of products', content: { 'application/json': { schema: pageOf(ProductListItemSchema) } } },
    400: INVALID_CURSOR_RESPONSE,
    403: errorResponse('Scope missing, or a publishable key from an origin the shop does not allow'),
  },
})
const get = createRoute({
  method: 'get',
  path: '/v1/products/{id}',
  tags: ['Catalog'],
  summary: 'A product by id or slug (storefront view for a publishable key)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { params: IdOrSlugParam },
  responses: { 200: one('The product'), 403: errorResponse('Scope missing or origin not allowed'), 404: errorResponse('No such product (or not active, for a publishable key)') },
})
const create = createRoute({
  method: 'post',
  path: '/v1/products',
  tags: ['Catalog'],
  summary: 'Create a product with its variants',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(ProductInputSchema) },
  responses: { 201: one('Created'), 400: errorResponse('Invalid fields, one issue each'), 409: errorResponse('Slug or SKU taken') },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/products/{id}',
  tags: ['Catalog'],
  summary: 'Update a product (status archived archives it); attributes are replaced as a whole set',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: ProductIdParam, body: jsonBody(ProductPatchSchema) },
  responses: { 200: one('Updated'), 404: errorResponse('No such product'), 409: errorResponse('Slug taken') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/products/{id}',
  tags: ['Catalog'],
  summary: 'Delete a product for good, with its variants, images (objects and vectors)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: ProductIdParam },
  responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such product') },
})

export const productRoutes = createRouter()
  .openapi(list, async (c) => {
    const db = c.var.db.get()
    const tenantId = c.var.caller.tenantId
    const definitions = await catalogDefinitions(db, tenantId)
    const { include, ...query } = c.req.valid('query')
    const storefront = isPublishable(c.var.caller)
    const filters = { ...query, ...(storefront ? { status: 'active' as const } : {}), attributes: attributeFilters(query.attr, definitions) }
    const { ids, nextCursor } = await searchProductIds(db, tenantId, filters)
    const includes = parseIncludes(include)
    const [loaded, stock, thumbnails] = await Promise.all([
      loadProducts(db, tenantId, ids, definitions),
      includes.has('stock') ? stockOfProducts(db, tenantId, ids) : null,
      includes.has('thumbnail') ? thumbnailsOfProducts(db, tenantId, ids) : null,
    ])
    const data = loaded.map((product) => ({
      ...(storefront ? storefrontView(product) : product),
      ...(stock ? { stock: stock.get(product.id) ?? { available: 0, onHand: 0, tracked: false } } : {}),
      ...(thumbnails ? { thumbnail: thumbnails.get(product.id) ?? null } : {}),
    }))
    return c.json({ data, nextCursor }, 200)
  })
  .openapi(get, async (c) => {
    const db = c.var.db.get()
    const tenantId = c.var.caller.tenantId
    const product = await loadProduct(db, tenantId, await resolveProductId(db, tenantId, c.req.valid('param').id))
    if (!isPublishable(c.var.caller)) return c.json(product, 200)
    if (product.status !== 'active') throw new ApiError('not_found', 'No product with this id or slug')
    return c.json(storefrontView(product), 200)
  })
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    const definitions = await catalogDefinitions(db, caller.tenantId)
    const variantInputs = input.variants ?? []
    assertAttributes(definitions.product, input.attributes ?? {})
    assertVariantAttributes(definitions.variant, variantInputs)
    if (input.categoryId) await assertCategory(db, caller.tenantId, input.categoryId)
    const slug = await chooseSlug(db, caller.tenantId, input.name, input.slug)
    const id = await db
      .transaction(async (tx) => {
        const [product] = await tx
          .insert(products)
          .values({
            tenantId: caller.tenantId,
            name: input.name,
            slug,
            description: input.description ?? null,
            status: input.status ?? 'draft',
            categoryId: input.categoryId ?? null,
            brand: input.brand ?? null,
            tags: input.tags ?? [],
            seoTitle: input.seoTitle ?? null,
            seoDescription: input.seoDescription ?? null,
            attributes: input.attributes ?? {},
          })
          .returning({ id: products.id, name: products.name, slug: products.slug, status: products.status })
        if (!product) throw new Error('insert returned no row')
        if (variantInputs.length > 0) await tx.insert(variants).values(variantInputs.map((v, i) => variantValues(caller.tenantId, product.id, v, i)))
        await recordProductCreated(tx, caller.tenantId, product, 'api')
        await recordAudit(tx, caller, { action: 'product.created', targetType: 'product', targetId: product.id, details: { name: input.name, skus: variantInputs.map((v) => v.sku) } })
        return product.id
      })
      .catch((error: unknown) => rethrowSkuConflict(error, variantInputs.map((v) => v.sku)))
    await registerCatalogSkus(c, variantInputs.map((v) => v.sku))
    return c.json(await loadProduct(db, caller.tenantId, id), 201)
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    const [current] = await db.select().from(products).where(and(eq(products.id, id), eq(products.tenantId, caller.tenantId)))
    if (!current) throw new ApiError('not_found', 'No product with this id')
    if (input.attributes !== undefined) assertAttributes((await catalogDefinitions(db, caller.tenantId)).product, input.attributes)
    if (input.categoryId) await assertCategory(db, caller.tenantId, input.categoryId)
    const slug = input.slug && input.slug !== current.slug ? await chooseSlug(db, caller.tenantId, input.name ?? current.name, input.slug) : undefined
    await db.transaction(async (tx) => {
      await tx
        .update(products)
        .set({ ...input, ...(slug ? { slug } : {}), updatedAt: new Date() })
        .where(eq(products.id, id))
      const action = input.status === 'archived' && current.status !== 'archived' ? 'product.archived' : 'product.updated'
      await recordAudit(tx, caller, { action, targetType: 'product', targetId: id, details: { fields: Object.keys(input) } })
      await recordProductUpdated(tx, caller.tenantId, { id, name: input.name ?? current.name, status: input.status ?? current.status }, Object.keys(input))
    })
    if (input.categoryId !== undefined && input.categoryId !== current.categoryId) refreshCentroidsAfter(c, caller.tenantId, id, current.categoryId)
    return c.json(await loadProduct(db, caller.tenantId, id), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    const db = c.var.db.get()
    const { objectKeys, categoryId } = await db.transaction(async (tx) => {
      const images = await tx.select({ id: productImages.id }).from(productImages).where(and(eq(productImages.productId, id), eq(productImages.tenantId, caller.tenantId)))
      const [deleted] = await tx.delete(products).where(and(eq(products.id, id), eq(products.tenantId, caller.tenantId))).returning({ name: products.name, categoryId: products.categoryId })
      if (!deleted) throw new ApiError('not_found', 'No product with this id')
      await recordAudit(tx, caller, { action: 'product.deleted', targetType: 'product', targetId: id, details: { name: deleted.name, images: images.length } })
      await recordProductDeleted(tx, caller.tenantId, { id, name: deleted.name })
      return { objectKeys: images.flatMap((i) => allMediaKeys(caller.tenantId, i.id)), categoryId: deleted.categoryId }
    })
    if (objectKeys.length > 0) c.executionCtx.waitUntil(c.env.MEDIA.delete(objectKeys))
    if (categoryId) refreshCentroidsAfter(c, caller.tenantId, id, categoryId)
    return c.body(null, 204)
  })
