// The seed's external inventory API (same paths and fields, X-API-Key), so its storefront and POS clients keep working.
import { createRoute, z } from '@hono/zod-openapi'
import { reduceAcrossShards } from '../../../durable-objects/inventory/fan-out'
import { DEFAULT_LOCATION, MAX_QUANTITY } from '../../../durable-objects/inventory/limits'
import { callerInventory } from '../../inventory/context'
import { OptionalIdempotencyHeadersSchema } from '../../inventory/idempotency'
import { unwrap } from '../../inventory/results'
import { levelsOfSkus } from '../../inventory/shards'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { BulkCheckSchema, SkuSchema } from './schemas'

const StockSchema = z.object({ success: z.literal(true), sku: z.string(), stock: z.int().openapi({ description: 'Available units at main' }), in_stock: z.boolean() })

const reduceStock = createRoute({
  method: 'post',
  path: '/api/external/inventory/reduce-stock',
  tags: ['External inventory (seed-compatible)'],
  summary: 'Reduce stock after a sale at the main location; the Idempotency-Key is optional here',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: {
    headers: OptionalIdempotencyHeadersSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: z.strictObject({ sku: SkuSchema, quantity: z.int().min(1).max(MAX_QUANTITY), reason: z.string().trim().min(1).max(200).optional() }) } },
    },
  },
  responses: {
    200: {
      description: 'Reduced',
      content: {
        'application/json': {
          schema: z.object({ success: z.literal(true), sku: z.string(), quantity_reduced: z.int(), previous_stock: z.int(), new_stock: z.int(), reason: z.string().nullable() }),
        },
      },
    },
    409: errorResponse('insufficient_stock'),
  },
})

const checkStock = createRoute({
  method: 'get',
  path: '/api/external/inventory/check-stock',
  tags: ['External inventory (seed-compatible)'],
  summary: 'Available stock of one SKU at the main location',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: z.object({ sku: SkuSchema }) },
  responses: { 200: { description: 'Stock', content: { 'application/json': { schema: StockSchema } } }, 404: errorResponse('The SKU is not registered') },
})

const bulkCheckStock = createRoute({
  method: 'post',
  path: '/api/external/inventory/bulk-check-stock',
  tags: ['External inventory (seed-compatible)'],
  summary: 'Available stock of up to 500 SKUs at the main location; unregistered SKUs come back with found: false',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { body: { required: true, content: { 'application/json': { schema: BulkCheckSchema.pick({ skus: true }) } } } },
  responses: {
    200: {
      description: 'Stock per SKU, in request order',
      content: { 'application/json': { schema: z.object({ success: z.literal(true), results: z.array(StockSchema.omit({ success: true }).extend({ found: z.boolean() })) }) } },
    },
  },
})

async function availableAtMain(inventory: Parameters<typeof levelsOfSkus>[0], skus: string[]) {
  const { levels, unknownSkus } = await levelsOfSkus(inventory, skus, DEFAULT_LOCATION)
  const stock = new Map(levels.map((level) => [level.sku, level.available]))
  const unknown = new Set(unknownSkus)
  return skus.map((sku) => ({ sku, found: !unknown.has(sku), stock: stock.get(sku) ?? 0 }))
}

export const externalRoutes = createRouter()
  .openapi(reduceStock, async (c) => {
    const { sku, quantity, reason } = c.req.valid('json')
    const inventory = await callerInventory(c)
    const idempotencyKey = c.req.valid('header')['idempotency-key'] ?? crypto.randomUUID()
    const result = unwrap(await reduceAcrossShards(inventory.env, { ...inventory, idempotencyKey, reason, lines: [{ sku, quantity }] }))
    const newStock = result.levels.find((level) => level.sku === sku)?.available ?? 0
    return c.json({ success: true as const, sku, quantity_reduced: quantity, previous_stock: newStock + quantity, new_stock: newStock, reason: reason ?? null }, 200)
  })
  .openapi(checkStock, async (c) => {
    const { sku } = c.req.valid('query')
    const [line] = await availableAtMain(await callerInventory(c), [sku])
    if (!line?.found) throw new ApiError('not_found', `SKU ${sku} is not registered`, { details: { sku } })
    return c.json({ success: true as const, sku, stock: line.stock, in_stock: line.stock > 0 }, 200)
  })
  .openapi(bulkCheckStock, async (c) => {
    const { skus } = c.req.valid('json')
    const lines = await availableAtMain(await callerInventory(c), skus)
    return c.json({ success: true as const, results: lines.map((line) => ({ ...line, in_stock: line.stock > 0 })) }, 200)
  })
