// Shared steps of the Stripe tests: the local fake's control routes, signed webhook deliveries (the library's own test
// header), plan prices in the table, and direct SQL reads.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test'
import { sql, type SQL } from 'drizzle-orm'
import Stripe from 'stripe'
import { createApp } from '../../workers/app'
import { createDatabase, queryRows } from '../../workers/db/client'
import { BASE } from './helpers'

type StripeEnv = Env & { STRIPE_API_BASE: string; STRIPE_WEBHOOK_SECRET: string; STRIPE_CONNECT_WEBHOOK_SECRET: string }
const stripeEnv = env as StripeEnv
export const fakeStripeUrl = stripeEnv.STRIPE_API_BASE

/** The monthly and yearly test price ids of the paid plans (set on the shared plans table, the same by every file). */
export const PRICES = { professional: { month: 'price_professional_month', year: 'price_professional_year' }, enterprise: { month: 'price_enterprise_month', year: 'price_enterprise_year' } }

/** Runs SQL on the test database. */
export async function query<T = Record<string, unknown>>(text: SQL): Promise<T[]> {
  const client = createDatabase({ url: stripeEnv.DATABASE_URL })
  try {
    return await queryRows<T>(client.db, text)
  } finally {
    await client.close()
  }
}

/** Gives the paid plans their test prices. */
export async function setPlanPrices(): Promise<void> {
  for (const [plan, price] of Object.entries(PRICES)) {
    await query(sql`update plans set stripe_price_id = ${price.month}, stripe_yearly_price_id = ${price.year} where id = ${plan}`)
  }
}

/** Calls a control route of the fake (completing sessions, changing subscriptions and accounts). */
export async function control<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fakeStripeUrl}/ctl/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`fake stripe ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** One API request the fake received. */
export interface SeenRequest {
  method: string
  path: string
  account: string | null
  idempotencyKey: string | null
  params: Record<string, unknown>
}

/** The API requests the fake received on `path` (newest last). */
export async function requestsTo(path: string): Promise<SeenRequest[]> {
  return (await control<SeenRequest[]>('requests')).filter((r) => r.path === path)
}

let eventCounter = 0
/** A Stripe event around `object`; `created` defaults to now (epoch seconds). */
export function stripeEvent(type: string, object: unknown, options: { created?: number; account?: string; id?: string } = {}) {
  eventCounter += 1
  return {
    id: options.id ?? `evt_test_${Date.now().toString(36)}_${eventCounter}`,
    object: 'event',
    type,
    api_version: '2025-11-17.clover',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
    ...(options.account ? { account: options.account } : {}),
  }
}

/** The body and Stripe-Signature header of a delivery, signed with `secret` at `timestamp` (defaults to now). */
export async function signed(event: unknown, secret: string, timestamp?: number): Promise<{ payload: string; header: string }> {
  const payload = JSON.stringify(event)
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, ...(timestamp ? { timestamp } : {}), cryptoProvider: Stripe.createSubtleCryptoProvider() })
  return { payload, header }
}

export type Endpoint = 'platform' | 'connect'
const PATHS: Record<Endpoint, string> = { platform: '/v1/webhooks/stripe', connect: '/v1/webhooks/stripe-connect' }
/** The signing secret of each endpoint, as the tests' bindings set them. */
export const secretOf = (endpoint: Endpoint) => (endpoint === 'platform' ? stripeEnv.STRIPE_WEBHOOK_SECRET : stripeEnv.STRIPE_CONNECT_WEBHOOK_SECRET)

/** Delivers an event to an endpoint as Stripe would; answers the status, body and how long the answer took. */
export async function deliver(endpoint: Endpoint, event: unknown, options: { secret?: string; timestamp?: number; header?: string | null } = {}) {
  const { payload, header } = await signed(event, options.secret ?? secretOf(endpoint), options.timestamp)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.header !== null) headers['stripe-signature'] = options.header ?? header
  const started = Date.now()
  const res = await SELF.fetch(`${BASE}${PATHS[endpoint]}`, { method: 'POST', headers, body: payload })
  const ms = Date.now() - started
  return { status: res.status, body: (await res.json()) as { received?: boolean; outcome?: string; error?: { code: string; message: string } }, ms }
}

/** Delivers through the app with its own execution context, then waits for the work the answer left running. */
export async function deliverAndWait(endpoint: Endpoint, event: unknown): Promise<{ status: number; body: unknown }> {
  const { payload, header } = await signed(event, secretOf(endpoint))
  const ctx = createExecutionContext()
  const res = await createApp().request(`${BASE}${PATHS[endpoint]}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload }, env, ctx)
  const body = await res.json()
  await waitOnExecutionContext(ctx)
  return { status: res.status, body }
}

/** The domain events of a tenant of `type`. */
export async function eventsOf(tenantId: string, type: string): Promise<{ subject_id: string; data: Record<string, unknown> }[]> {
  return query(sql`select subject_id, data from events where tenant_id = ${tenantId} and type = ${type} order by created_at`)
}
