// Stock changes (adjust, set, reduce, transfer), each exactly once per Idempotency-Key, and a bulk availability check
// (the one stock read a storefront's publishable key may make).
import { createRoute, z } from '@hono/zod-openapi'
import { checkAcrossShards, reduceAcrossShards } from '../../../durable-objects/inventory/fan-out'
import { callerInventory } from '../../inventory/context'
import { IdempotentHeadersSchema } from '../../inventory/idempotency'
import { levelJson, unwrap } from '../../inventory/results'
import { onlyShard, shardStub } from '../../inventory/shards'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { allowStorefront, isPublishable } from '../../middleware/storefront'
import { assertStorefrontSkus } from '../../inventory/storefront'
import { AdjustSchema, BulkCheckSchema, MutationResultSchema, ReduceSchema, SetSchema, TransferSchema } from './schemas'

function mutation<S extends z.ZodType>(path: string, summary: string, schema: S) {
  return createRoute({
    method: 'post',
    path,
    tags: ['Inventory'],
    summary,
    middleware: requireScope('write'),
    security: ANY_CREDENTIAL,
    request: { headers: IdempotentHeadersSchema, body: { required: true, content: { 'application/json': { schema } } } },
    responses: {
      200: { description: 'The levels the change left behind', content: { 'application/json': { schema: MutationResultSchema } } },
      400: errorResponse('Invalid input, a missing Idempotency-Key or an unregistered SKU (unknown_sku); nothing changed'),
      409: errorResponse('insufficient_stock, stale_quantity or idempotency_conflict; nothing changed'),
    },
  })
}

const adjust = mutation('/v1/inventory/adjust', 'Add (positive delta) or remove (negative delta) stock on hand, all lines or none', AdjustSchema)
const set = mutation('/v1/inventory/set', 'Set on hand to counted figures; with `expected`, only if on hand still equals it', SetSchema)
const reduce = mutation('/v1/inventory/reduce', 'Sell stock, all lines or none (across shards too); 409 insufficient_stock rather than overselling', ReduceSchema)
const transfer = mutation('/v1/inventory/transfer', 'Move available stock between locations, all lines or none', TransferSchema)

const bulkCheck = createRoute({
  method: 'post',
  path: '/v1/inventory/bulk-check',
  tags: ['Inventory'],
  summary: 'Available stock of up to 500 SKUs at one location (a publishable key: SKUs of active variants of active products only)',
  middleware: allowStorefront('read'),
  security: ANY_CREDENTIAL,
  request: { body: { required: true, content: { 'application/json': { schema: BulkCheckSchema } } } },
  responses: {
    200: { description: 'Available units per SKU', content: { 'application/json': { schema: z.object({ available: z.record(z.string(), z.int()) }) } } },
    400: errorResponse('Invalid input or unregistered SKUs (unknown_sku, listed in details)'),
  },
})

const outcome = (result: { levels: Parameters<typeof levelJson>[0][]; replayed: boolean }) => ({ levels: result.levels.map(levelJson), replayed: result.replayed })

export const stockRoutes = createRouter()
  .openapi(adjust, async (c) => {
    const { lines, reason } = c.req.valid('json')
    const inventory = await callerInventory(c)
    const stub = shardStub(inventory, onlyShard(inventory, lines))
    const result = await stub.adjust({ idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, reason, lines })
    return c.json(outcome(unwrap(result)), 200)
  })
  .openapi(set, async (c) => {
    const { lines, reason } = c.req.valid('json')
    const inventory = await callerInventory(c)
    const stub = shardStub(inventory, onlyShard(inventory, lines))
    const result = await stub.setOnHand({ idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, reason, lines })
    return c.json(outcome(unwrap(result)), 200)
  })
  .openapi(reduce, async (c) => {
    const { lines, reason } = c.req.valid('json')
    const inventory = await callerInventory(c)
    const result = await reduceAcrossShards(inventory.env, { ...inventory, idempotencyKey: c.req.valid('header')['idempotency-key'], reason, lines })
    return c.json(outcome(unwrap(result)), 200)
  })
  .openapi(transfer, async (c) => {
    const { lines } = c.req.valid('json')
    const inventory = await callerInventory(c)
    const stub = shardStub(inventory, onlyShard(inventory, lines))
    const result = await stub.transfer({ idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, lines })
    return c.json(outcome(unwrap(result)), 200)
  })
  .openapi(bulkCheck, async (c) => {
    const { skus, location } = c.req.valid('json')
    const inventory = await callerInventory(c)
    if (isPublishable(c.var.caller)) await assertStorefrontSkus(c.var.db.get(), inventory.tenantId, skus)
    const result = unwrap(await checkAcrossShards(inventory.env, { ...inventory, skus, ...(location ? { location } : {}) }))
    return c.json({ available: result.available }, 200)
  })
