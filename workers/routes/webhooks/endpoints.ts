// Webhook endpoints (admins): where the tenant's events are delivered, which types, and the signing secret shown once
// on create and on rotation (the previous one keeps signing for 24 h). URLs pass the image fetcher's address guard.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import { encryptCredential } from '../../ai/credentials'
import { DOMAIN_EVENT_TYPES } from '../../commerce/events'
import { webhookEndpoints } from '../../db/schema/webhooks'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, pageOf, PageQuerySchema, timestampText, toPage } from '../../lib/pagination'
import { UuidParamSchema } from '../../lib/schemas'
import { requireScope } from '../../middleware/authenticate'
import { endpointJson, endpointOf, endpointRef, endpointStub, forgetEndpointList } from '../../webhooks/endpoints'
import { newSecret, PREVIOUS_SECRET_TTL_MS } from '../../webhooks/signing'
import { assertWebhookUrl } from '../../webhooks/url-guard'

const CATALOGUE = `Events are delivered per Standard Webhooks: headers \`webhook-id\` (the event id, the same on every attempt),
\`webhook-timestamp\` and \`webhook-signature\` (\`v1,\` + base64 HMAC-SHA256 of \`id.timestamp.body\` keyed with the
base64-decoded part of the \`whsec_\` secret; two signatures during the 24 h after a rotation), and the JSON body
\`{type, timestamp, data}\`. Any 2xx within 15 s is success; 410 turns the endpoint off; anything else is retried after
5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then the message fails. An endpoint failing for 5 days straight is turned off.

Event types: ${DOMAIN_EVENT_TYPES.map((t) => `\`${t}\``).join(', ')}; \`webhook.test\` is sent only by \`POST …/test\`.
\`["*"]\` subscribes to every type, including ones added later.`

const EventTypesSchema = z
  .array(z.enum(['*', ...DOMAIN_EVENT_TYPES]))
  .min(1)
  .max(DOMAIN_EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'each event type once')
  .refine((types) => !types.includes('*') || types.length === 1, '"*" stands alone')
  .openapi({ description: 'Event types delivered to this endpoint, or ["*"] for all', example: ['order.created', 'order.paid'] })

const EndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({ description: '`gone` (the endpoint answered 410) or `failing` (5 days of failures) when delivery turned it off' }),
    disabledAt: z.string().nullable().openapi({ format: 'date-time' }),
    previousSecretExpiresAt: z.string().nullable().openapi({ format: 'date-time', description: 'Until then the secret before the last rotation also signs' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('WebhookEndpoint')
const WithSecretSchema = EndpointSchema.extend({ secret: z.string().openapi({ description: 'The signing secret (`whsec_…`); shown only now' }) }).openapi('WebhookEndpointWithSecret')

const fields = {
  url: z.url().max(2048).openapi({ example: 'https://example.com/hooks/vitrina' }),
  description: z.string().trim().max(500).nullable().optional(),
  eventTypes: EventTypesSchema,
  enabled: z.boolean().optional(),
}
const InputSchema = z.object(fields).openapi('WebhookEndpointInput')
const PatchSchema = z.object(fields).partial().openapi('WebhookEndpointPatch')

const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Not an admin credential'), 429: errorResponse('Rate limited') }
const admin = { tags: ['Webhooks'], middleware: requireScope('admin'), security: ANY_CREDENTIAL }

const list = createRoute({
  ...admin,
  method: 'get',
  path: '/v1/webhooks/endpoints',
  summary: 'List webhook endpoints newest first',
  description: CATALOGUE,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse('A page of endpoints', pageOf(EndpointSchema)), 400: INVALID_CURSOR_RESPONSE, ...denied },
})
const create = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/webhooks/endpoints',
  summary: 'Create a webhook endpoint; the answer carries its signing secret, shown only this once',
  description: CATALOGUE,
  request: { body: jsonBody(InputSchema) },
  responses: { 201: jsonResponse('Created', WithSecretSchema), 400: errorResponse('Invalid fields, or a URL refused by the address guard'), ...denied },
})
const get = createRoute({
  ...admin,
  method: 'get',
  path: '/v1/webhooks/endpoints/{id}',
  summary: 'One webhook endpoint',
  request: { params: UuidParamSchema },
  responses: { 200: jsonResponse('The endpoint', EndpointSchema), 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such endpoint') },
})
const patch = createRoute({
  ...admin,
  method: 'patch',
  path: '/v1/webhooks/endpoints/{id}',
  summary: 'Change a webhook endpoint; switching it back on resumes with new events (replay brings back the rest)',
  request: { params: UuidParamSchema, body: jsonBody(PatchSchema) },
  responses: { 200: jsonResponse('Changed', EndpointSchema), 400: errorResponse('Invalid fields, or a URL refused by the address guard'), ...denied, 404: errorResponse('No such endpoint') },
})
const remove = createRoute({
  ...admin,
  method: 'delete',
  path: '/v1/webhooks/endpoints/{id}',
  summary: 'Delete a webhook endpoint, its queue and its delivery log',
  request: { params: UuidParamSchema },
  responses: { 204: { description: 'Deleted' }, 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such endpoint') },
})
const rotate = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/webhooks/endpoints/{id}/rotate-secret',
  summary: 'Replace the signing secret; the previous one keeps signing (a second signature) for 24 h',
  request: { params: UuidParamSchema },
  responses: {
    200: jsonResponse('The new secret, shown only now', z.object({ secret: z.string(), previousSecretExpiresAt: z.string().openapi({ format: 'date-time' }) }).openapi('WebhookSecretRotation')),
    400: errorResponse('Bad id'),
    ...denied,
    404: errorResponse('No such endpoint'),
  },
})

export const webhookEndpointRoutes = createRouter()
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const rows = await c.var.db
      .get()
      .select({ endpoint: webhookEndpoints, createdAtText: timestampText(webhookEndpoints.createdAt) })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, c.var.caller.tenantId), olderThan(webhookEndpoints.createdAt, webhookEndpoints.id, cursor)))
      .orderBy(...newestFirst(webhookEndpoints.createdAt, webhookEndpoints.id))
      .limit(limit + 1)
    return c.json(toPage(rows, limit, (r) => endpointJson(r.endpoint), (r) => [r.createdAtText, r.endpoint.id]), 200)
  })
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    await assertWebhookUrl(c.env, input.url)
    const secret = newSecret()
    const row = await c.var.db.get().transaction(async (tx) => {
      const [created] = await tx
        .insert(webhookEndpoints)
        .values({ tenantId: caller.tenantId, url: input.url, description: input.description ?? null, eventTypes: input.eventTypes, enabled: input.enabled ?? true, secretSealed: await encryptCredential(c.env, secret, caller.tenantId) })
        .returning()
      if (!created) throw new Error('insert returned no row')
      await recordAudit(tx, caller, { action: 'webhook_endpoint.created', targetType: 'webhook_endpoint', targetId: created.id, details: { url: created.url, eventTypes: created.eventTypes } })
      return created
    })
    forgetEndpointList(caller.tenantId)
    if (row.enabled) c.executionCtx.waitUntil(endpointStub(c.env, row.id).poke(endpointRef(caller.tenantId, row.id)))
    return c.json({ ...endpointJson(row), secret }, 201)
  })
  .openapi(get, async (c) => c.json(endpointJson(await endpointOf(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id)), 200))
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    if (input.url !== undefined) await assertWebhookUrl(c.env, input.url)
    const { before, after } = await c.var.db.get().transaction(async (tx) => {
      const [current] = await tx
        .select({ enabled: webhookEndpoints.enabled })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, caller.tenantId)))
        .for('update')
      if (!current) throw new ApiError('not_found', 'No webhook endpoint with this id')
      const [updated] = await tx
        .update(webhookEndpoints)
        .set({ ...input, ...(input.enabled ? { disabledReason: null, disabledAt: null } : {}), updatedAt: new Date() })
        .where(eq(webhookEndpoints.id, id))
        .returning()
      if (!updated) throw new Error('update returned no row')
      await recordAudit(tx, caller, { action: 'webhook_endpoint.updated', targetType: 'webhook_endpoint', targetId: id, details: input })
      return { before: current, after: updated }
    })
    forgetEndpointList(caller.tenantId)
    const stub = endpointStub(c.env, id)
    if (after.enabled && !before.enabled) c.executionCtx.waitUntil(stub.resume(endpointRef(caller.tenantId, id), after.updatedAt.getTime()))
    else if (after.enabled) c.executionCtx.waitUntil(stub.poke(endpointRef(caller.tenantId, id)))
    return c.json(endpointJson(after), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [deleted] = await tx
        .delete(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, caller.tenantId)))
        .returning({ url: webhookEndpoints.url })
      if (!deleted) throw new ApiError('not_found', 'No webhook endpoint with this id')
      await recordAudit(tx, caller, { action: 'webhook_endpoint.deleted', targetType: 'webhook_endpoint', targetId: id, details: { url: deleted.url } })
    })
    forgetEndpointList(caller.tenantId)
    c.executionCtx.waitUntil(endpointStub(c.env, id).forget())
    return c.body(null, 204)
  })
  .openapi(rotate, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    const secret = newSecret()
    const expires = new Date(Date.now() + PREVIOUS_SECRET_TTL_MS)
    await c.var.db.get().transaction(async (tx) => {
      const [current] = await tx
        .select({ secretSealed: webhookEndpoints.secretSealed })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, caller.tenantId)))
        .for('update')
      if (!current) throw new ApiError('not_found', 'No webhook endpoint with this id')
      await tx
        .update(webhookEndpoints)
        .set({ secretSealed: await encryptCredential(c.env, secret, caller.tenantId), previousSecretSealed: current.secretSealed, previousSecretExpiresAt: expires, updatedAt: new Date() })
        .where(eq(webhookEndpoints.id, id))
      await recordAudit(tx, caller, { action: 'webhook_endpoint.secret_rotated', targetType: 'webhook_endpoint', targetId: id })
    })
    return c.json({ secret, previousSecretExpiresAt: expires.toISOString() }, 200)
  })
