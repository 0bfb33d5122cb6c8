// The tenant's category tree: list, create, rename, move (never under itself), reorder and delete.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq, sql } from 'drizzle-orm'
import { slugify } from '../auth/accounts'
import { categoryWithDescendants } from '../catalog/categories'
import { queryRows, type Database } from '../db/client'
import { isUniqueViolation } from '../db/errors'
import { categories } from '../db/schema/catalog'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { UuidParamSchema } from '../lib/schemas'
import { requireScope } from '../middleware/authenticate'

const SlugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase words joined by dashes').max(80)

const CategorySchema = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    position: z.number().int(),
    depth: z.number().int().openapi({ description: '0 for top-level categories' }),
    productCount: z.number().int(),
  })
  .openapi('Category')

const CreateSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    slug: SlugSchema.optional(),
    parentId: z.uuid().nullable().optional(),
    description: z.string().max(2000).nullable().optional(),
    position: z.number().int().min(0).max(100_000).optional(),
  })
  .openapi('CreateCategory')
const PatchSchema = CreateSchema.partial().openapi('PatchCategory')

const one = (description: string) => jsonResponse(description, CategorySchema)

/** Every category of the tenant with its depth and direct product count, parents before children. */
async function listCategories(db: Database, tenantId: string) {
  const rows = await queryRows<{
    id: string
    parent_id: string | null
    name: string
    slug: string
    description: string | null
    position: number
    depth: number
    product_count: number
  }>(
    db,
    sql`
    with recursive tree as (
      select c.*, 0 as depth, array[c.position::text || ':' || c.name] as sort_path from categories c
      where c.tenant_id = ${tenantId} and c.parent_id is null
      union all
      select c.*, tree.depth + 1, tree.sort_path || (c.position::text || ':' || c.name) from categories c
      join tree on c.parent_id = tree.id where c.tenant_id = ${tenantId}
    )
    select tree.id, tree.parent_id, tree.name, tree.slug, tree.description, tree.position, tree.depth,
      (select count(*)::int from products p where p.category_id = tree.id) as product_count
    from tree order by tree.sort_path`,
  )
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    slug: r.slug,
    description: r.description,
    position: r.position,
    depth: r.depth,
    productCount: r.product_count,
  }))
}

async function findCategory(db: Database, tenantId: string, id: string) {
  const all = await listCategories(db, tenantId)
  const found = all.find((c) => c.id === id)
  if (!found) throw new ApiError('not_found', 'No category with this id')
  return found
}

/** 400 unless `parentId` is a category of the tenant and not `movingId` or below it. */
async function assertParent(db: Database, tenantId: string, parentId: string, movingId?: string): Promise<void> {
  const [parent] = await db.select({ id: categories.id }).from(categories).where(and(eq(categories.id, parentId), eq(categories.tenantId, tenantId)))
  const issue = (message: string) => new ApiError('invalid_request', message, { details: [{ in: 'json', path: 'parentId', message, code: 'custom' }] })
  if (!parent) throw issue('no category with this id')
  if (movingId && (await categoryWithDescendants(db, tenantId, movingId)).includes(parentId)) throw issue('a category cannot move under itself or its descendants')
}

const slugTaken = (slug: string) => new ApiError('slug_taken', `A category with slug "${slug}" already exists`)

const list = createRoute({
  method: 'get',
  path: '/v1/categories',
  tags: ['Catalog'],
  summary: 'The category tree, flattened parents-first with depth',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  responses: { 200: { description: 'Categories', content: { 'application/json': { schema: z.object({ data: z.array(CategorySchema) }) } } } },
})
const get = createRoute({
  method: 'get',
  path: '/v1/categories/{id}',
  tags: ['Catalog'],
  summary: 'One category',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 200: one('The category'), 404: errorResponse('No such category') },
})
const create = createRoute({
  method: 'post',
  path: '/v1/categories',
  tags: ['Catalog'],
  summary: 'Create a category (slug derived from the name when absent)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(CreateSchema) },
  responses: { 201: one('Created'), 409: errorResponse('Slug taken') },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/categories/{id}',
  tags: ['Catalog'],
  summary: 'Rename, move or reorder a category',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema, body: jsonBody(PatchSchema) },
  responses: { 200: one('Updated'), 404: errorResponse('No such category'), 409: errorResponse('Slug taken') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/categories/{id}',
  tags: ['Catalog'],
  summary: 'Delete a category: its children move up to its parent, its products become uncategorised',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such category') },
})

export const categoryRoutes = createRouter()
  .openapi(list, async (c) => c.json({ data: await listCategories(c.var.db.get(), c.var.caller.tenantId) }, 200))
  .openapi(get, async (c) => c.json(await findCategory(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id), 200))
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    if (input.parentId) await assertParent(db, caller.tenantId, input.parentId)
    const slug = input.slug ?? slugify(input.name)
    try {
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(categories)
          .values({ tenantId: caller.tenantId, name: input.name, slug, parentId: input.parentId ?? null, description: input.description ?? null, position: input.position ?? 0 })
          .returning({ id: categories.id })
        if (!row) throw new Error('insert returned no row')
        await recordAudit(tx, caller, { action: 'category.created', targetType: 'category', targetId: row.id, details: { name: input.name, slug } })
        return row.id
      })
      return c.json(await findCategory(db, caller.tenantId, id), 201)
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(slug)
      throw error
    }
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    await findCategory(db, caller.tenantId, id)
    if (input.parentId) await assertParent(db, caller.tenantId, input.parentId, id)
    try {
      await db.transaction(async (tx) => {
        await tx
          .update(categories)
          .set({ ...input, updatedAt: new Date() })
          .where(and(eq(categories.id, id), eq(categories.tenantId, caller.tenantId)))
        await recordAudit(tx, caller, { action: 'category.updated', targetType: 'category', targetId: id, details: input })
      })
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(input.slug ?? '')
      throw error
    }
    return c.json(await findCategory(db, caller.tenantId, id), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [row] = await tx.select().from(categories).where(and(eq(categories.id, id), eq(categories.tenantId, caller.tenantId)))
      if (!row) throw new ApiError('not_found', 'No category with this id')
      await tx.update(categories).set({ parentId: row.parentId, updatedAt: new Date() }).where(and(eq(categories.parentId, id), eq(categories.tenantId, caller.tenantId)))
      await tx.delete(categories).where(eq(categories.id, id))
      await recordAudit(tx, caller, { action: 'category.deleted', targetType: 'category', targetId: id, details: { name: row.name } })
    })
    return c.body(null, 204)
  })
