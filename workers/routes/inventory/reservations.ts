// Reservations: hold stock for a while (a checkout), then commit it as a sale or release it; the object expires the rest.
import { createRoute, z } from '@hono/zod-openapi'
import type { ReservationView } from '../../../durable-objects/inventory'
import { callerInventory } from '../../inventory/context'
import { IdempotentHeadersSchema } from '../../inventory/idempotency'
import { parseReservationId, reservationPublicId } from '../../inventory/ids'
import { levelJson, unwrap } from '../../inventory/results'
import { onlyShard, shardStub, type TenantInventory } from '../../inventory/shards'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { LevelSchema, ReservationParamSchema, ReservationSchema, ReserveSchema } from './schemas'

const ReservationResultSchema = z.object({ reservation: ReservationSchema, levels: z.array(LevelSchema), replayed: z.boolean() }).openapi('ReservationResult')

function reservationJson(shard: number, reservation: ReservationView) {
  return { ...reservation, id: reservationPublicId(shard, reservation.id), expiresAt: new Date(reservation.expiresAt).toISOString() }
}

const create = createRoute({
  method: 'post',
  path: '/v1/inventory/reservations',
  tags: ['Inventory'],
  summary: 'Hold stock for ttlSeconds, all lines or none; it is released by itself unless committed or released before',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { headers: IdempotentHeadersSchema, body: { required: true, content: { 'application/json': { schema: ReserveSchema } } } },
  responses: {
    201: { description: 'Held', content: { 'application/json': { schema: ReservationResultSchema } } },
    409: errorResponse('insufficient_stock; nothing held'),
  },
})

function close(action: 'commit' | 'release', summary: string) {
  return createRoute({
    method: 'post',
    path: `/v1/inventory/reservations/{id}/${action}`,
    tags: ['Inventory'],
    summary,
    middleware: requireScope('write'),
    security: ANY_CREDENTIAL,
    request: { params: ReservationParamSchema, headers: IdempotentHeadersSchema },
    responses: {
      200: { description: 'Closed', content: { 'application/json': { schema: ReservationResultSchema } } },
      404: errorResponse('No such reservation'),
      409: errorResponse('The reservation is no longer held (reservation_closed)'),
    },
  })
}

const commit = close('commit', 'Turn a held reservation into a sale')
const release = close('release', "Give a held reservation's stock back")

function located(inventory: TenantInventory, publicId: string): { shard: number; id: string } {
  const parsed = parseReservationId(publicId)
  if (!parsed || parsed.shard >= inventory.shardCount) throw new ApiError('reservation_not_found', `No reservation ${publicId}`, { details: { reservationId: publicId } })
  return parsed
}

export const reservationRoutes = createRouter()
  .openapi(create, async (c) => {
    const { ttlSeconds, lines } = c.req.valid('json')
    const inventory = await callerInventory(c)
    const shard = onlyShard(inventory, lines)
    const stub = shardStub(inventory, shard)
    const result = unwrap(await stub.reserve({ idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, ttlSeconds, lines }))
    return c.json({ reservation: reservationJson(shard, result.reservation), levels: result.levels.map(levelJson), replayed: result.replayed }, 201)
  })
  .openapi(commit, async (c) => {
    const inventory = await callerInventory(c)
    const { shard, id } = located(inventory, c.req.valid('param').id)
    const stub = shardStub(inventory, shard)
    const result = unwrap(await stub.commit({ idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, reservationId: id }))
    return c.json({ reservation: reservationJson(shard, result.reservation), levels: result.levels.map(levelJson), replayed: result.replayed }, 200)
  })
  .openapi(release, async (c) => {
    const inventory = await callerInventory(c)
    const { shard, id } = located(inventory, c.req.valid('param').id)
    const stub = shardStub(inventory, shard)
    const result = unwrap(await stub.release({ idempotencyKey: c.req.valid('header')['idempotency-key'], actor: inventory.actor, reservationId: id }))
    return c.json({ reservation: reservationJson(shard, result.reservation), levels: result.levels.map(levelJson), replayed: result.replayed }, 200)
  })
