// The Worker's side of webhook endpoints: their JSON, lookups scoped to the tenant, the endpoint objects' stubs, and
// the hand-off after a change commits (waitUntil) that wakes the objects of the endpoints taking the new events
// and the tenant's notifier.
import { and, eq, sql } from 'drizzle-orm'
import type { EndpointRef, WebhookEndpoint } from '../../durable-objects/webhook-endpoint'
import { createDatabase, type Database } from '../db/client'
import { webhookEndpoints } from '../db/schema/webhooks'
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

/**
 * Wakes the objects of the tenant's enabled endpoints that take any of `types`; call it after the change that recorded
 * those events committed, inside `waitUntil` (it opens its own connection: the request's closes with the response). A failure here loses nothing: each object's sweep finds the events.
 */
export async function dispatchEvents(env: Env, tenantId: string, types: readonly string[]): Promise<void> {
  const notified = wakeNotifier(env, tenantId)
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    const db = client.db
    const wanted = `{${['*', ...types].join(',')}}`
    const rows = await db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true), sql`${webhookEndpoints.eventTypes} && ${wanted}::text[]`))
    await Promise.all(rows.map((r) => endpointStub(env, r.id).poke(endpointRef(tenantId, r.id))))
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'webhook dispatch failed; the sweep will deliver', tenantId, error: error instanceof Error ? error.message : String(error) }))
  } finally {
    await client.close().catch(() => undefined)
    await notified
  }
}
