// An endpoint's delivery log (30 days: each message with every attempt) and the manual actions on it: retry one
// message, send a `webhook.test` event, replay everything since a time. The endpoint's object does the sending.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq } from 'drizzle-orm'
import { WEBHOOK_MESSAGE_STATUSES, webhookAttempts, webhookMessages } from '../../db/schema/webhooks'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, pageOf, PageQuerySchema, timestampText, toPage } from '../../lib/pagination'
import { UuidParamSchema } from '../../lib/schemas'
import { requireScope } from '../../middleware/authenticate'
import { endpointOf, endpointRef, endpointStub } from '../../webhooks/endpoints'
import type { Database } from '../../db/client'

const RETENTION_MS = 30 * 86_400_000

const MessageSchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().openapi({ description: 'Sent as `webhook-id` on every attempt' }),
    eventType: z.string(),
    status: z.enum(WEBHOOK_MESSAGE_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable().openapi({ format: 'date-time' }),
    lastAttemptAt: z.string().nullable().openapi({ format: 'date-time' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('WebhookMessage')
const AttemptSchema = z
  .object({
    id: z.uuid(),
    succeeded: z.boolean(),
    responseStatus: z.number().int().nullable().openapi({ description: 'null when no answer came (refused address, timeout, connection failure)' }),
    latencyMs: z.number().int(),
    response: z.string().openapi({ description: 'The first 1 KB of the answer, or why there was none' }),
    attemptedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('WebhookAttempt')
const MessageParamsSchema = UuidParamSchema.extend({ messageId: z.uuid().openapi({ param: { name: 'messageId', in: 'path' } }) })
const ListQuerySchema = PageQuerySchema.extend({ status: z.enum(WEBHOOK_MESSAGE_STATUSES).optional(), eventType: z.string().max(64).optional() })
const ReplaySchema = z.object({ since: z.iso.datetime({ offset: true }).openapi({ description: 'Every event the endpoint takes from this time on (at most 30 days back) is sent again' }) }).openapi('WebhookReplay')

type MessageRow = typeof webhookMessages.$inferSelect
const iso = (d: Date | null) => d?.toISOString() ?? null
function messageJson(m: MessageRow) {
  return { id: m.id, eventId: m.eventId, eventType: m.eventType, status: m.status, attempts: m.attempts, nextAttemptAt: iso(m.nextAttemptAt), lastAttemptAt: iso(m.lastAttemptAt), createdAt: m.createdAt.toISOString() }
}

const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Not an admin credential'), 429: errorResponse('Rate limited') }
const admin = { tags: ['Webhooks'], middleware: requireScope('admin'), security: ANY_CREDENTIAL }
const noEndpoint = { 404: errorResponse('No such endpoint') }
const disabled = { 409: errorResponse('conflict: the endpoint is disabled; enable it first') }

/** The tenant's endpoint, which must be enabled for anything to be sent to it. */
async function enabledEndpoint(db: Database, tenantId: string, id: string): Promise<void> {
  const endpoint = await endpointOf(db, tenantId, id)
  if (!endpoint.enabled) throw new ApiError('conflict', 'The endpoint is disabled; enable it before sending to it')
}
const accepted = (description: string, schema: z.ZodType) => jsonResponse(description, schema)

const list = createRoute({
  ...admin,
  method: 'get',
  path: '/v1/webhooks/endpoints/{id}/messages',
  summary: "The endpoint's messages newest first (30 days), filtered by status and event type",
  request: { params: UuidParamSchema, query: ListQuerySchema },
  responses: { 200: jsonResponse('A page of messages', pageOf(MessageSchema)), 400: INVALID_CURSOR_RESPONSE, ...denied, ...noEndpoint },
})
const getOne = createRoute({
  ...admin,
  method: 'get',
  path: '/v1/webhooks/endpoints/{id}/messages/{messageId}',
  summary: 'One message with every attempt, oldest first',
  request: { params: MessageParamsSchema },
  responses: {
    200: jsonResponse('The message and its attempts', MessageSchema.extend({ attemptLog: z.array(AttemptSchema) }).openapi('WebhookMessageWithAttempts')),
    400: errorResponse('Bad id'),
    ...denied,
    404: errorResponse('No such endpoint or message'),
  },
})
const retry = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/webhooks/endpoints/{id}/messages/{messageId}/retry',
  summary: 'Send a message again now (same `webhook-id`)',
  request: { params: MessageParamsSchema },
  responses: { 202: accepted('Queued', z.object({ queued: z.literal(true) })), 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such endpoint or message'), ...disabled },
})
const test = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/webhooks/endpoints/{id}/test',
  summary: 'Send a `webhook.test` event to this endpoint only',
  request: { params: UuidParamSchema },
  responses: { 202: accepted('Queued', z.object({ eventId: z.uuid() })), 400: errorResponse('Bad id'), ...denied, ...noEndpoint, ...disabled },
})
const replay = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/webhooks/endpoints/{id}/replay',
  summary: 'Send again every event the endpoint takes since a time (same `webhook-id` each; receivers dedupe by it)',
  request: { params: UuidParamSchema, body: jsonBody(ReplaySchema) },
  responses: { 202: accepted('Queued', z.object({ queued: z.number().int() })), 400: errorResponse('Bad id, or `since` in the future or more than 30 days back'), ...denied, ...noEndpoint, ...disabled },
})

export const webhookMessageRoutes = createRouter()
  .openapi(list, async (c) => {
    const { id } = c.req.valid('param')
    const { limit, cursor, status, eventType } = c.req.valid('query')
    const db = c.var.db.get()
    await endpointOf(db, c.var.caller.tenantId, id)
    const rows = await db
      .select({ message: webhookMessages, createdAtText: timestampText(webhookMessages.createdAt) })
      .from(webhookMessages)
      .where(
        and(
          eq(webhookMessages.endpointId, id),
          eq(webhookMessages.tenantId, c.var.caller.tenantId),
          status ? eq(webhookMessages.status, status) : undefined,
          eventType ? eq(webhookMessages.eventType, eventType) : undefined,
          olderThan(webhookMessages.createdAt, webhookMessages.id, cursor),
        ),
      )
      .orderBy(...newestFirst(webhookMessages.createdAt, webhookMessages.id))
      .limit(limit + 1)
    return c.json(toPage(rows, limit, (r) => messageJson(r.message), (r) => [r.createdAtText, r.message.id]), 200)
  })
  .openapi(getOne, async (c) => {
    const { id, messageId } = c.req.valid('param')
    const db = c.var.db.get()
    const [message] = await db
      .select()
      .from(webhookMessages)
      .where(and(eq(webhookMessages.id, messageId), eq(webhookMessages.endpointId, id), eq(webhookMessages.tenantId, c.var.caller.tenantId)))
    if (!message) throw new ApiError('not_found', 'No message with this id on this endpoint')
    const attempts = await db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, messageId)).orderBy(asc(webhookAttempts.attemptedAt))
    const attemptLog = attempts.map((a) => ({ id: a.id, succeeded: a.succeeded, responseStatus: a.responseStatus, latencyMs: a.latencyMs, response: a.response, attemptedAt: a.attemptedAt.toISOString() }))
    return c.json({ ...messageJson(message), attemptLog }, 200)
  })
  .openapi(retry, async (c) => {
    const { id, messageId } = c.req.valid('param')
    const tenantId = c.var.caller.tenantId
    await enabledEndpoint(c.var.db.get(), tenantId, id)
    const [message] = await c.var.db
      .get()
      .select({ id: webhookMessages.id })
      .from(webhookMessages)
      .where(and(eq(webhookMessages.id, messageId), eq(webhookMessages.endpointId, id), eq(webhookMessages.tenantId, tenantId)))
    if (!message || !(await endpointStub(c.env, id).retry(endpointRef(tenantId, id), messageId))) throw new ApiError('not_found', 'No message with this id on this endpoint')
    return c.json({ queued: true as const }, 202)
  })
  .openapi(test, async (c) => {
    const { id } = c.req.valid('param')
    const tenantId = c.var.caller.tenantId
    await enabledEndpoint(c.var.db.get(), tenantId, id)
    const eventId = crypto.randomUUID()
    const createdAt = Date.now()
    await endpointStub(c.env, id).sendOne(endpointRef(tenantId, id), { id: eventId, type: 'webhook.test', createdAt, data: { endpointId: id, message: 'A test event from Vitrina' } })
    return c.json({ eventId }, 202)
  })
  .openapi(replay, async (c) => {
    const { id } = c.req.valid('param')
    const since = Date.parse(c.req.valid('json').since)
    const tenantId = c.var.caller.tenantId
    await enabledEndpoint(c.var.db.get(), tenantId, id)
    const now = Date.now()
    if (since > now || since < now - RETENTION_MS) {
      const message = 'since must be in the last 30 days'
      throw new ApiError('invalid_request', message, { details: [{ in: 'json', path: 'since', message, code: 'out_of_range' }] })
    }
    const queued = await endpointStub(c.env, id).replay(endpointRef(tenantId, id), since)
    return c.json({ queued }, 202)
  })
