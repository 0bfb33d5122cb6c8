// Stock levels: read one SKU or page through all of the tenant's levels, its ledger, and register or configure SKUs.
import { createRoute, z } from '@hono/zod-openapi'
import { shardFor } from '../../../durable-objects/inventory/shards'
import { callerInventory } from '../../inventory/context'
import { IdempotentHeadersSchema } from '../../inventory/idempotency'
import { reservationPublicId } from '../../inventory/ids'
import { actorLabels, productsOfSkus } from '../../inventory/labels'
import { levelJson, unwrap } from '../../inventory/results'
import { levelsOfSkus, listTenantLevels, registerSkus, shardStub } from '../../inventory/shards'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { INVALID_CURSOR_RESPONSE, pageOf, PageQuerySchema } from '../../lib/pagination'
import { requireScope } from '../../middleware/authenticate'
import { ConfigureSchema, LabelledLevelSchema, LedgerEntrySchema, LocationSchema, MutationResultSchema, RegisterSchema, SkuParamSchema, SkuSchema } from './schemas'

const notFound = (sku: string) => new ApiError('not_found', `SKU ${sku} is not registered`, { details: { sku } })

const getLevels = createRoute({
  method: 'get',
  path: '/v1/inventory',
  tags: ['Inventory'],
  summary: "Levels of one SKU (?sku=), or every level of the tenant page by page in SKU order, across shards",
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: {
    query: PageQuerySchema.extend({
      sku: SkuSchema.optional(),
      location: LocationSchema.optional(),
      include: z.enum(['product']).optional().openapi({ description: 'product: the product and variant each SKU belongs to (from the catalog)' }),
    }),
  },
  responses: {
    200: { description: 'A page of levels (one page holding every level of the SKU when ?sku= is given)', content: { 'application/json': { schema: pageOf(LabelledLevelSchema) } } },
    400: INVALID_CURSOR_RESPONSE,
    404: errorResponse('The SKU is not registered'),
  },
})

const ledger = createRoute({
  method: 'get',
  path: '/v1/inventory/{sku}/ledger',
  tags: ['Inventory'],
  summary: 'Every movement of a SKU, newest first',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: SkuParamSchema, query: PageQuerySchema.extend({ location: LocationSchema.optional() }) },
  responses: { 200: { description: 'A page of ledger entries', content: { 'application/json': { schema: pageOf(LedgerEntrySchema) } } }, 400: INVALID_CURSOR_RESPONSE, 404: errorResponse('The SKU is not registered') },
})

const register = createRoute({
  method: 'post',
  path: '/v1/inventory/skus',
  tags: ['Inventory'],
  summary: 'Register SKUs (at zero) with their low-stock threshold and backorder setting; existing levels are left as they are',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { headers: IdempotentHeadersSchema, body: { required: true, content: { 'application/json': { schema: RegisterSchema } } } },
  responses: {
    200: { description: 'Registered', content: { 'application/json': { schema: MutationResultSchema.extend({ created: z.int() }) } } },
    400: errorResponse('Invalid input'),
  },
})

const configure = createRoute({
  method: 'patch',
  path: '/v1/inventory/{sku}',
  tags: ['Inventory'],
  summary: "Change a level's low-stock threshold (null clears it) or whether it sells on backorder",
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: SkuParamSchema, headers: IdempotentHeadersSchema, body: { required: true, content: { 'application/json': { schema: ConfigureSchema } } } },
  responses: { 200: { description: 'The updated level', content: { 'application/json': { schema: MutationResultSchema } } }, 404: errorResponse('The SKU is not registered') },
})

export const levelRoutes = createRouter()
  .openapi(getLevels, async (c) => {
    const { sku, location, limit, cursor, include } = c.req.valid('query')
    const inventory = await callerInventory(c)
    const labelled = async (levels: ReturnType<typeof levelJson>[]) => {
      if (include !== 'product') return levels
      const names = await productsOfSkus(c.var.db.get(), inventory.tenantId, levels.map((level) => level.sku))
      return levels.map((level) => ({ ...level, product: names.get(level.sku) ?? null }))
    }
    if (sku === undefined) {
      const page = await listTenantLevels(inventory, { limit, ...(location ? { location } : {}), ...(cursor ? { cursor } : {}) })
      return c.json({ data: await labelled(page.data.map(levelJson)), nextCursor: page.nextCursor }, 200)
    }
    const { levels, unknownSkus } = await levelsOfSkus(inventory, [sku], location)
    if (unknownSkus.length > 0) throw notFound(sku)
    return c.json({ data: await labelled(levels.map(levelJson)), nextCursor: null }, 200)
  })
  .openapi(ledger, async (c) => {
    const { sku } = c.req.valid('param')
    const { location, limit, cursor } = c.req.valid('query')
    const inventory = await callerInventory(c)
    const shard = shardFor(sku, inventory.shardCount)
    const result = await (shardStub(inventory, shard)).history({ sku, limit, ...(location ? { location } : {}), ...(cursor ? { cursor } : {}) })
    if (!result.ok && result.error.code === 'unknown_sku') throw notFound(sku)
    const page = unwrap(result)
    const labels = await actorLabels(c.var.db.get(), inventory.tenantId, page.data.map((entry) => entry.actor))
    const data = page.data.map((entry) => ({
      ...entry,
      actorLabel: labels.get(entry.actor) ?? null,
      reservationId: entry.reservationId === null ? null : reservationPublicId(shard, entry.reservationId),
      at: new Date(entry.at).toISOString(),
    }))
    return c.json({ data, nextCursor: page.nextCursor }, 200)
  })
  .openapi(register, async (c) => {
    const inventory = await callerInventory(c)
    const { skus } = c.req.valid('json')
    const result = await registerSkus(inventory, { idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, skus })
    return c.json({ created: result.created, levels: result.levels.map(levelJson), replayed: result.replayed }, 200)
  })
  .openapi(configure, async (c) => {
    const { sku } = c.req.valid('param')
    const input = c.req.valid('json')
    const inventory = await callerInventory(c)
    const stub = shardStub(inventory, shardFor(sku, inventory.shardCount))
    const result = await stub.configure({ ...input, sku, idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor })
    if (!result.ok && result.error.code === 'unknown_sku') throw notFound(sku)
    const done = unwrap(result)
    return c.json({ levels: done.levels.map(levelJson), replayed: done.replayed }, 200)
  })
