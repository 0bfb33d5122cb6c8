// The tenant's shipping methods: flat rates, optionally free above a subtotal. Admins write; any credential of the
// tenant reads, and a storefront (publishable key) sees only the active ones.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { shippingMethods } from '../db/schema/customers'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, pageOf, PageQuerySchema, timestampText, toPage } from '../lib/pagination'
import { UuidParamSchema } from '../lib/schemas'
import { requireScope } from '../middleware/authenticate'
import { allowStorefront, isPublishable } from '../middleware/storefront'
import { CurrencySchema, MAX_MINOR_UNITS } from './products/schemas'

const Money = z.number().int().min(0).max(MAX_MINOR_UNITS)

const ShippingMethodSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    price: z.number().int().openapi({ description: 'Flat rate, minor units of currency' }),
    currency: z.string(),
    freeAbove: z.number().int().nullable().openapi({ description: 'Free when the subtotal is at least this (minor units); null: never free' }),
    active: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ShippingMethod')

const fields = {
  name: z.string().trim().min(1).max(100),
  price: Money,
  currency: CurrencySchema,
  freeAbove: Money.nullable().optional(),
  active: z.boolean().optional().openapi({ description: 'Inactive methods are hidden from storefronts and refused at checkout' }),
}
const InputSchema = z.object(fields).openapi('ShippingMethodInput')
const PatchSchema = z.object(fields).partial().openapi('ShippingMethodPatch')
const ListQuerySchema = PageQuerySchema.extend({
  currency: CurrencySchema.optional(),
  active: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Publishable keys always get active methods only' }),
})

type Row = typeof shippingMethods.$inferSelect

function methodJson(m: Row) {
  return { id: m.id, name: m.name, price: m.price, currency: m.currency, freeAbove: m.freeAbove, active: m.active, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString() }
}

async function methodOf(db: Database, tenantId: string, id: string, activeOnly = false): Promise<Row> {
  const [row] = await db
    .select()
    .from(shippingMethods)
    .where(and(eq(shippingMethods.id, id), eq(shippingMethods.tenantId, tenantId), activeOnly ? eq(shippingMethods.active, true) : undefined))
  if (!row) throw new ApiError('not_found', 'No shipping method with this id')
  return row
}

const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing, publishable key on a write, or origin not allowed'), 429: errorResponse('Rate limited') }
const one = (description: string) => jsonResponse(description, ShippingMethodSchema)

const list = createRoute({
  method: 'get',
  path: '/v1/shipping-methods',
  tags: ['Shipping'],
  summary: 'List shipping methods newest first (a publishable key sees active ones only)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { query: ListQuerySchema },
  responses: { 200: jsonResponse('A page of shipping methods', pageOf(ShippingMethodSchema)), 400: INVALID_CURSOR_RESPONSE, ...denied },
})
const get = createRoute({
  method: 'get',
  path: '/v1/shipping-methods/{id}',
  tags: ['Shipping'],
  summary: 'One shipping method (404 for an inactive one with a publishable key)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 200: one('The shipping method'), 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such shipping method') },
})
const create = createRoute({
  method: 'post',
  path: '/v1/shipping-methods',
  tags: ['Shipping'],
  summary: 'Create a shipping method (admin)',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(InputSchema) },
  responses: { 201: one('Created'), 400: errorResponse('Invalid fields'), ...denied },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/shipping-methods/{id}',
  tags: ['Shipping'],
  summary: 'Change a shipping method (admin); orders keep the price they were charged',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema, body: jsonBody(PatchSchema) },
  responses: { 200: one('Changed'), 400: errorResponse('Invalid fields'), ...denied, 404: errorResponse('No such shipping method') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/shipping-methods/{id}',
  tags: ['Shipping'],
  summary: 'Delete a shipping method (admin); deactivate it instead to keep it listed for the admin',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 204: { description: 'Deleted' }, 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such shipping method') },
})

export const shippingMethodRoutes = createRouter()
  .openapi(list, async (c) => {
    const { limit, cursor, currency, active } = c.req.valid('query')
    const onlyActive = isPublishable(c.var.caller) ? true : active === undefined ? undefined : active === 'true'
    const rows = await c.var.db
      .get()
      .select({ method: shippingMethods, createdAtText: timestampText(shippingMethods.createdAt) })
      .from(shippingMethods)
      .where(
        and(
          eq(shippingMethods.tenantId, c.var.caller.tenantId),
          currency ? eq(shippingMethods.currency, currency) : undefined,
          onlyActive === undefined ? undefined : eq(shippingMethods.active, onlyActive),
          olderThan(shippingMethods.createdAt, shippingMethods.id, cursor),
        ),
      )
      .orderBy(...newestFirst(shippingMethods.createdAt, shippingMethods.id))
      .limit(limit + 1)
    return c.json(toPage(rows, limit, (r) => methodJson(r.method), (r) => [r.createdAtText, r.method.id]), 200)
  })
  .openapi(get, async (c) => c.json(methodJson(await methodOf(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id, isPublishable(c.var.caller))), 200))
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    const row = await c.var.db.get().transaction(async (tx) => {
      const [created] = await tx
        .insert(shippingMethods)
        .values({ ...input, tenantId: caller.tenantId })
        .returning()
      if (!created) throw new Error('insert returned no row')
      await recordAudit(tx, caller, { action: 'shipping_method.created', targetType: 'shipping_method', targetId: created.id, details: { name: input.name, price: input.price, currency: input.currency } })
      return created
    })
    return c.json(methodJson(row), 201)
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const row = await c.var.db.get().transaction(async (tx) => {
      const [updated] = await tx
        .update(shippingMethods)
        .set({ ...input, updatedAt: new Date() })
        .where(and(eq(shippingMethods.id, id), eq(shippingMethods.tenantId, caller.tenantId)))
        .returning()
      if (!updated) throw new ApiError('not_found', 'No shipping method with this id')
      await recordAudit(tx, caller, { action: 'shipping_method.updated', targetType: 'shipping_method', targetId: id, details: input })
      return updated
    })
    return c.json(methodJson(row), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [deleted] = await tx
        .delete(shippingMethods)
        .where(and(eq(shippingMethods.id, id), eq(shippingMethods.tenantId, caller.tenantId)))
        .returning({ name: shippingMethods.name })
      if (!deleted) throw new ApiError('not_found', 'No shipping method with this id')
      await recordAudit(tx, caller, { action: 'shipping_method.deleted', targetType: 'shipping_method', targetId: id, details: { name: deleted.name } })
    })
    return c.body(null, 204)
  })
