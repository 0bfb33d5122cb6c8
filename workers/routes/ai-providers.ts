// A tenant's AI providers (admins): ordered CRUD with encrypted credentials (last four characters shown), reordering,
// a test call, and forcing a breaker; the list carries each provider's live health from its ProviderHealth object.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, sql } from 'drizzle-orm'
import { encryptCredential, lastFour } from '../ai/credentials'
import { forgetProviders, tenantProvider } from '../ai/providers'
import { UpstreamError } from '../ai/types'
import { probe } from '../ai/upstream'
import { assertProviderUrl } from '../ai/url-guard'
import { AI_PROVIDER_KINDS, aiProviders } from '../db/schema/ai'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { UuidParamSchema } from '../lib/schemas'
import { requireScope } from '../middleware/authenticate'
import type { ProviderHealthView } from '../../durable-objects/provider-health'

/** Providers per tenant; the fallback chain is walked in order, so a long one only adds latency. */
const MAX_PROVIDERS = 20

const HealthSchema = z
  .object({
    state: z.enum(['closed', 'open', 'half_open']),
    forced: z.enum(['open', 'closed']).nullable(),
    openUntil: z.string().nullable(),
    successRate: z.number().nullable(),
    p50Ms: z.number().nullable(),
    latencyEwmaMs: z.number().nullable(),
    ttftMs: z.number().nullable(),
    lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
    history: z.array(z.object({ at: z.string(), state: z.enum(['closed', 'open', 'half_open']), reason: z.string() })),
  })
  .openapi('ProviderHealth')

const ProviderSchema = z
  .object({
    id: z.uuid(),
    position: z.number(),
    kind: z.enum(AI_PROVIDER_KINDS),
    name: z.string(),
    baseUrl: z.string().nullable(),
    hfProvider: z.string().nullable(),
    model: z.string(),
    apiKeyLast4: z.string().nullable().openapi({ description: 'The key itself is never returned' }),
    enabled: z.boolean(),
    inputPricePerMTok: z.number(),
    outputPricePerMTok: z.number(),
    firstTokenTimeoutMs: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    health: HealthSchema.optional(),
  })
  .openapi('AiProvider')

const fields = {
  kind: z.enum(AI_PROVIDER_KINDS),
  name: z.string().trim().min(1).max(100),
  baseUrl: z.string().max(2000).nullable(),
  hfProvider: z.string().trim().min(1).max(100).nullable(),
  model: z.string().trim().min(1).max(200),
  apiKey: z.string().min(1).max(4000).nullable(),
  enabled: z.boolean(),
  inputPricePerMTok: z.number().nonnegative().max(10_000),
  outputPricePerMTok: z.number().nonnegative().max(10_000),
  firstTokenTimeoutMs: z.number().int().min(100).max(120_000),
}
const CreateSchema = z
  .object({
    ...fields,
    baseUrl: fields.baseUrl.optional(),
    hfProvider: fields.hfProvider.optional(),
    apiKey: fields.apiKey.optional(),
    enabled: fields.enabled.default(true),
    inputPricePerMTok: fields.inputPricePerMTok.default(0),
    outputPricePerMTok: fields.outputPricePerMTok.default(0),
    firstTokenTimeoutMs: fields.firstTokenTimeoutMs.default(10_000),
  })
  .openapi('CreateAiProvider')
const UpdateSchema = z.object(fields).partial().openapi('UpdateAiProvider')

type Row = typeof aiProviders.$inferSelect
const providerJson = (r: Row, health?: ProviderHealthView) => ({
  id: r.id,
  position: r.position,
  kind: r.kind,
  name: r.name,
  baseUrl: r.baseUrl,
  hfProvider: r.hfProvider,
  model: r.model,
  apiKeyLast4: r.apiKeyLast4,
  enabled: r.enabled,
  inputPricePerMTok: r.inputPricePerMTok,
  outputPricePerMTok: r.outputPricePerMTok,
  firstTokenTimeoutMs: r.firstTokenTimeoutMs,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  ...(health ? { health } : {}),
})

const admin = { middleware: requireScope('admin'), security: ANY_CREDENTIAL, tags: ['AI'] }
const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Not an admin') }
const IdParam = UuidParamSchema

const list = createRoute({ ...admin, method: 'get', path: '/v1/ai/providers', summary: 'The tenant\'s AI providers in fallback order, with live health', responses: { 200: jsonResponse('Providers', z.object({ items: z.array(ProviderSchema) })), ...denied } })
const create = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/ai/providers',
  summary: 'Add an AI provider (it goes last)',
  request: { body: jsonBody(CreateSchema) },
  responses: { 201: jsonResponse('Created', ProviderSchema), 400: errorResponse('Invalid, or the baseUrl is refused'), 409: errorResponse('Too many providers'), ...denied },
})
const update = createRoute({
  ...admin,
  method: 'patch',
  path: '/v1/ai/providers/{id}',
  summary: 'Change a provider; a new apiKey replaces (rotates) the stored one',
  request: { params: IdParam, body: jsonBody(UpdateSchema) },
  responses: { 200: jsonResponse('Updated', ProviderSchema), 400: errorResponse('Invalid, or the baseUrl is refused'), 404: errorResponse('No such provider in this tenant'), ...denied },
})
const remove = createRoute({
  ...admin,
  method: 'delete',
  path: '/v1/ai/providers/{id}',
  summary: 'Delete a provider (its usage history stays)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such provider in this tenant'), ...denied },
})
const reorder = createRoute({
  ...admin,
  method: 'put',
  path: '/v1/ai/providers/order',
  summary: 'Set the fallback order: every provider id of the tenant, once',
  request: { body: jsonBody(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_PROVIDERS) }).openapi('AiProviderOrder')) },
  responses: { 200: jsonResponse('The providers in their new order', z.object({ items: z.array(ProviderSchema) })), 400: errorResponse('Not exactly the tenant\'s provider ids'), ...denied },
})
const test = createRoute({
  ...admin,
  method: 'post',
  path: '/v1/ai/providers/{id}/test',
  summary: 'A one-token completion: the latency, or the provider\'s error',
  request: { params: IdParam },
  responses: {
    200: jsonResponse('Result', z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional(), status: z.number().optional() }).openapi('AiProviderTest')),
    404: errorResponse('No such provider in this tenant'),
    ...denied,
  },
})
const force = createRoute({
  ...admin,
  method: 'put',
  path: '/v1/ai/providers/{id}/breaker',
  summary: 'Force the breaker open or closed, or `auto` to let it judge again',
  request: { params: IdParam, body: jsonBody(z.object({ state: z.enum(['open', 'closed', 'auto']) }).openapi('AiBreakerForce')) },
  responses: { 200: jsonResponse('The provider with its health', ProviderSchema), 404: errorResponse('No such provider in this tenant'), ...denied },
})

const notFound = () => new ApiError('not_found', 'No AI provider with this id in this tenant')

async function checkTarget(env: Env, kind: string, baseUrl: string | null | undefined): Promise<void> {
  if (baseUrl) await assertProviderUrl(env, baseUrl)
  if (kind === 'workers-ai') {
    throw new ApiError('invalid_request', 'The workers-ai kind needs the AI binding, which this deployment does not have', {
      details: [{ in: 'json', path: 'kind', message: 'binding missing', code: 'unavailable' }],
    })
  }
}

export const aiProviderRoutes = createRouter()
  .openapi(list, async (c) => {
    const tenantId = c.var.caller.tenantId
    const rows = await c.var.db.get().select().from(aiProviders).where(eq(aiProviders.tenantId, tenantId)).orderBy(asc(aiProviders.position), asc(aiProviders.createdAt))
    const health: Record<string, ProviderHealthView> = rows.length === 0 ? {} : await c.env.PROVIDER_HEALTH.getByName(`tenant:${tenantId}`).health(rows.map((r) => r.id))
    return c.json({ items: rows.map((r) => providerJson(r, health[r.id])) }, 200)
  })
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    await checkTarget(c.env, input.kind, input.baseUrl)
    const ciphertext = input.apiKey ? await encryptCredential(c.env, input.apiKey, caller.tenantId) : null
    const row = await c.var.db.get().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`ai_providers:${caller.tenantId}`}))`)
      const [count] = await tx
        .select({ n: sql<number>`count(*)::int`, next: sql<number>`coalesce(max(${aiProviders.position}) + 1, 0)::int` })
        .from(aiProviders)
        .where(eq(aiProviders.tenantId, caller.tenantId))
      if ((count?.n ?? 0) >= MAX_PROVIDERS) throw new ApiError('conflict', `A tenant has at most ${MAX_PROVIDERS} AI providers`)
      const [inserted] = await tx
        .insert(aiProviders)
        .values({
          tenantId: caller.tenantId,
          position: count?.next ?? 0,
          kind: input.kind,
          name: input.name,
          baseUrl: input.baseUrl ?? null,
          hfProvider: input.hfProvider ?? null,
          model: input.model,
          apiKeyCiphertext: ciphertext,
          apiKeyLast4: input.apiKey ? lastFour(input.apiKey) : null,
          enabled: input.enabled,
          inputPricePerMTok: input.inputPricePerMTok,
          outputPricePerMTok: input.outputPricePerMTok,
          firstTokenTimeoutMs: input.firstTokenTimeoutMs,
        })
        .returning()
      if (!inserted) throw new Error('insert returned no row')
      await recordAudit(tx, caller, { action: 'ai_provider.created', targetType: 'ai_provider', targetId: inserted.id, details: { name: input.name, kind: input.kind } })
      return inserted
    })
    forgetProviders(caller.tenantId)
    return c.json(providerJson(row), 201)
  })
  .openapi(update, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    const [current] = await db.select().from(aiProviders).where(and(eq(aiProviders.id, id), eq(aiProviders.tenantId, caller.tenantId)))
    if (!current) throw notFound()
    await checkTarget(c.env, input.kind ?? current.kind, input.baseUrl === undefined ? null : input.baseUrl)
    const { apiKey, ...rest } = input
    const credential =
      apiKey === undefined ? {} : apiKey === null ? { apiKeyCiphertext: null, apiKeyLast4: null } : { apiKeyCiphertext: await encryptCredential(c.env, apiKey, caller.tenantId), apiKeyLast4: lastFour(apiKey) }
    const row = await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(aiProviders)
        .set({ ...rest, ...credential, updatedAt: new Date() })
        .where(and(eq(aiProviders.id, id), eq(aiProviders.tenantId, caller.tenantId)))
        .returning()
      if (!updated) throw notFound()
      await recordAudit(tx, caller, { action: 'ai_provider.updated', targetType: 'ai_provider', targetId: id, details: { fields: Object.keys(input), keyRotated: apiKey !== undefined } })
      return updated
    })
    forgetProviders(caller.tenantId)
    return c.json(providerJson(row), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [deleted] = await tx.delete(aiProviders).where(and(eq(aiProviders.id, id), eq(aiProviders.tenantId, caller.tenantId))).returning({ name: aiProviders.name })
      if (!deleted) throw notFound()
      await recordAudit(tx, caller, { action: 'ai_provider.deleted', targetType: 'ai_provider', targetId: id, details: { name: deleted.name } })
    })
    forgetProviders(caller.tenantId)
    await c.env.PROVIDER_HEALTH.getByName(`tenant:${caller.tenantId}`).forget(id)
    return c.body(null, 204)
  })
  .openapi(reorder, async (c) => {
    const { ids } = c.req.valid('json')
    const caller = c.var.caller
    const rows = await c.var.db.get().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`ai_providers:${caller.tenantId}`}))`)
      const existing = await tx.select({ id: aiProviders.id }).from(aiProviders).where(eq(aiProviders.tenantId, caller.tenantId))
      const known = new Set(existing.map((r) => r.id))
      if (new Set(ids).size !== ids.length || ids.length !== known.size || !ids.every((id) => known.has(id))) {
        throw new ApiError('invalid_request', 'ids must list every provider of this tenant exactly once', {
          details: [{ in: 'json', path: 'ids', message: 'not exactly the tenant\'s provider ids', code: 'custom' }],
        })
      }
      for (const [position, id] of ids.entries()) {
        await tx.update(aiProviders).set({ position, updatedAt: new Date() }).where(and(eq(aiProviders.id, id), eq(aiProviders.tenantId, caller.tenantId)))
      }
      await recordAudit(tx, caller, { action: 'ai_provider.reordered', targetType: 'ai_provider', details: { ids } })
      return tx.select().from(aiProviders).where(eq(aiProviders.tenantId, caller.tenantId)).orderBy(asc(aiProviders.position))
    })
    forgetProviders(caller.tenantId)
    return c.json({ items: rows.map((r) => providerJson(r)) }, 200)
  })
  .openapi(test, async (c) => {
    const { id } = c.req.valid('param')
    const provider = await tenantProvider(c.env, c.var.db.get(), c.var.caller.tenantId, id)
    if (!provider) throw notFound()
    const started = Date.now()
    try {
      const latencyMs = await probe(provider, provider.firstTokenTimeoutMs)
      return c.json({ ok: true, latencyMs }, 200)
    } catch (error) {
      const failure = error instanceof UpstreamError ? error : new UpstreamError('connection', 'the call failed')
      return c.json({ ok: false, latencyMs: Date.now() - started, error: failure.message, ...(failure.status ? { status: failure.status } : {}) }, 200)
    }
  })
  .openapi(force, async (c) => {
    const { id } = c.req.valid('param')
    const { state } = c.req.valid('json')
    const tenantId = c.var.caller.tenantId
    const [row] = await c.var.db.get().select().from(aiProviders).where(and(eq(aiProviders.id, id), eq(aiProviders.tenantId, tenantId)))
    if (!row) throw notFound()
    const health = c.env.PROVIDER_HEALTH.getByName(`tenant:${tenantId}`)
    await health.force(id, state === 'auto' ? null : state)
    await recordAudit(c.var.db.get(), c.var.caller, { action: 'ai_provider.breaker_forced', targetType: 'ai_provider', targetId: id, details: { state } })
    const view = await health.health([id])
    return c.json(providerJson(row, view[id]), 200)
  })
