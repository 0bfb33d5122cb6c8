// Low-stock alerts of the tenant, newest first across shards; admins acknowledge them or resolve them by hand.
import { createRoute, z } from '@hono/zod-openapi'
import type { AlertView } from '../../../durable-objects/inventory'
import { callerInventory } from '../../inventory/context'
import { alertPublicId, parseAlertId } from '../../inventory/ids'
import { unwrap } from '../../inventory/results'
import { listTenantAlerts, shardStub } from '../../inventory/shards'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../../lib/openapi'
import { INVALID_CURSOR_RESPONSE, pageOf, PageQuerySchema } from '../../lib/pagination'
import { requireScope } from '../../middleware/authenticate'
import { ALERT_STATUSES, AlertParamSchema, AlertSchema } from './schemas'

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString())

function alertJson(shard: number, alert: AlertView) {
  return { ...alert, id: alertPublicId(shard, alert.id), createdAt: new Date(alert.createdAt).toISOString(), acknowledgedAt: iso(alert.acknowledgedAt), resolvedAt: iso(alert.resolvedAt) }
}

const list = createRoute({
  method: 'get',
  path: '/v1/inventory/alerts',
  tags: ['Inventory'],
  summary: 'Low-stock alerts, newest first, optionally of one status',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: PageQuerySchema.extend({ status: z.enum(ALERT_STATUSES).optional() }) },
  responses: { 200: { description: 'A page of alerts', content: { 'application/json': { schema: pageOf(AlertSchema) } } }, 400: INVALID_CURSOR_RESPONSE },
})

function act(action: 'acknowledge' | 'resolve', summary: string) {
  return createRoute({
    method: 'post',
    path: `/v1/inventory/alerts/{id}/${action}`,
    tags: ['Inventory'],
    summary,
    middleware: requireScope('write'),
    security: ANY_CREDENTIAL,
    request: { params: AlertParamSchema },
    responses: { 200: { description: 'The alert', content: { 'application/json': { schema: AlertSchema } } }, 404: errorResponse('No such alert') },
  })
}

const acknowledge = act('acknowledge', 'Acknowledge an open alert; repeating it changes nothing')
const resolve = act('resolve', 'Resolve an alert by hand; the level raises no new alert until restocked at or above its threshold')

function locate<I extends { shardCount: number }>(publicId: string, inventory: I) {
  const parsed = parseAlertId(publicId)
  if (!parsed || parsed.shard >= inventory.shardCount || parsed.id < 1) throw new ApiError('alert_not_found', `No alert ${publicId}`, { details: { alertId: publicId } })
  return { inventory, ...parsed }
}

export const alertRoutes = createRouter()
  .openapi(list, async (c) => {
    const { status, limit, cursor } = c.req.valid('query')
    const page = await listTenantAlerts(await callerInventory(c), { limit, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) })
    return c.json({ data: page.data.map((entry) => alertJson(entry.shard, entry.alert)), nextCursor: page.nextCursor }, 200)
  })
  .openapi(acknowledge, async (c) => {
    const { inventory, shard, id } = locate(c.req.valid('param').id, await callerInventory(c))
    const stub = shardStub(inventory, shard)
    return c.json(alertJson(shard, unwrap(await stub.acknowledgeAlert({ alertId: id, actor: inventory.actor })).alert), 200)
  })
  .openapi(resolve, async (c) => {
    const { inventory, shard, id } = locate(c.req.valid('param').id, await callerInventory(c))
    const stub = shardStub(inventory, shard)
    return c.json(alertJson(shard, unwrap(await stub.resolveAlert({ alertId: id, actor: inventory.actor })).alert), 200)
  })
