// The Worker's side of webhook endpoints: their JSON, lookups scoped to the tenant, the endpoint objects' stubs, and
// the hand-off after a change commits (waitUntil) that wakes the objects of the endpoints taking the new events
// and the tenant's notifier.
import { and, eq } from 'drizzle-orm'
import type { EndpointRef, WebhookEndpoint } from '../../durable-objects/webhook-endpoint'
import { createDatabase, type Database } from '../db/client'
import { webhookEndpoints } from '../db/schema/webhooks'
import { coalesced } from '../lib/coalesce'
import { ApiError } from '../lib/errors'
import { wakeNotifier } from '../notifications/notifier'

type Row = typeof webhookEndpoints.$inferSelect

/** An endpoint as the API shows it (never its secret). */
export function endpointJson(e: Row) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    previousSecretExpiresAt: e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > Date.now() ? e.previousSecretExpiresAt.toISOString() : null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  }
}

/** The tenant's endpoint `id`, or 404 `not_found`. */
export async function endpointOf(db: Database, tenantId: string, id: string): Promise<Row> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId)))
  if (!row) throw new ApiError('not_found', 'No webhook endpoint with this id')
  return row
}

/** The object that owns endpoint `endpointId`'s queue. */
export function endpointStub(env: Env, endpointId: string): DurableObjectStub<WebhookEndpoint> {
  return env.WEBHOOK_ENDPOINT.get(env.WEBHOOK_ENDPOINT.idFromName(endpointId))
}

/** The reference every call to an endpoint object carries. */
export function endpointRef(tenantId: string, endpointId: string): EndpointRef {
  return { tenantId, endpointId }
}

/** One enabled endpoint as the hand-off needs it. */
interface ListedEndpoint {
  id: string
  eventTypes: string[]
}

/**
 * How long an isolate reuses its list of a tenant's enabled endpoints for the hand-off, so a burst of changes does not
 * open a Postgres connection each just to find whom to wake. Staleness only delays: an endpoint created or re-enabled
 * in another isolate is woken by its own route at once and by any hand-off after this, and its sweep reads from its cursor.
 */
export const ENDPOINT_LIST_TTL_MS = 5_000
/** Tenants whose endpoint list one isolate keeps (oldest dropped first). */
const ENDPOINT_LISTS_KEPT = 1_000
const endpointLists = new Map<string, { until: number; endpoints: ListedEndpoint[] }>()

/** Drops this isolate's list of `tenantId`'s endpoints; the routes that change endpoints call it. */
export function forgetEndpointList(tenantId: string): void {
  endpointLists.delete(tenantId)
}

async function enabledEndpoints(env: Env, tenantId: string): Promise<ListedEndpoint[]> {
  const kept = endpointLists.get(tenantId)
  if (kept && kept.until > Date.now()) return kept.endpoints
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    const endpoints = await client.db
      .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true)))
    endpointLists.delete(tenantId)
    if (endpointLists.size >= ENDPOINT_LISTS_KEPT) endpointLists.delete(endpointLists.keys().next().value ?? '')
    endpointLists.set(tenantId, { until: Date.now() + ENDPOINT_LIST_TTL_MS, endpoints })
    return endpoints
  } finally {
    await client.close().catch(() => undefined)
  }
}

/** Wakes one endpoint object; a failure is logged and loses nothing (its sweep reads from its cursor). */
async function pokeEndpoint(env: Env, tenantId: string, endpointId: string): Promise<void> {
  try {
    await endpointStub(env, endpointId).poke(endpointRef(tenantId, endpointId))
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'webhook endpoint wake-up failed; its sweep will deliver', endpointId, error: error instanceof Error ? error.message : String(error) }))
  }
}

/**
 * Wakes the objects of the tenant's enabled endpoints that take any of `types`; call it after the change that recorded
 * those events committed, inside `waitUntil`. The list of endpoints comes from this isolate's short-lived copy or its
 * own connection (the request's closes with the response). A failure here loses nothing: each object's sweep finds the events.
 */
export async function dispatchEvents(env: Env, tenantId: string, types: readonly string[]): Promise<void> {
  const notified = wakeNotifier(env, tenantId)
  try {
    const endpoints = await enabledEndpoints(env, tenantId)
    const woken = endpoints.filter((e) => e.eventTypes.includes('*') || e.eventTypes.some((t) => types.includes(t)))
    await Promise.all(woken.map((e) => coalesced(`endpoint:${e.id}`, () => pokeEndpoint(env, tenantId, e.id))))
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'webhook dispatch failed; the sweep will deliver', tenantId, error: error instanceof Error ? error.message : String(error) }))
  } finally {
    await notified
  }
}
