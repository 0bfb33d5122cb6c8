// Stripe's webhooks: the platform account's events (plans) and connected accounts' events (shop payments), each
// checked against its own signing secret on the raw body, processed once per event id, answered 2xx fast. Stripe
// retries on any other answer, so only work that is safe to lose (stock settling, which the Cart object's alarm also
// finishes) runs after the answer.
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { handleConnectEvent } from '../billing/connect-events'
import { alreadyProcessed } from '../billing/events-once'
import { handlePlatformEvent } from '../billing/platform-events'
import { stripeClient, verifyWebhook, type WebhookSecretName } from '../billing/stripe'
import { settleOrder } from '../commerce/orders/settle'
import { createDatabase } from '../db/client'
import type { AppEnv } from '../lib/app-env'
import { createRouter, errorResponse, jsonResponse } from '../lib/openapi'

const ReceivedSchema = z.object({ received: z.literal(true), outcome: z.enum(['processed', 'duplicate', 'ignored']) }).openapi('StripeWebhookReceipt')

const hook = (path: string, what: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['Webhooks'],
    summary: `Stripe events of ${what}, signed with their own secret (Stripe-Signature header; the raw JSON body is the event)`,
    security: [],
    responses: {
      200: jsonResponse('Received: processed, a duplicate (changes nothing) or ignored (a type or tenant not handled)', ReceivedSchema),
      400: errorResponse('Missing, bad or stale signature (older than 5 minutes)'),
      413: errorResponse('Body too large'),
      502: errorResponse('Stripe failed a re-read (Stripe retries the event)'),
      503: errorResponse('Stripe is not configured on this server (payments_not_configured)'),
    },
  })

/** Settles an order's stock after the answer, on its own connection (the request's closes with the response). */
async function settleInBackground(env: Env, tenantId: string, orderId: string): Promise<void> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    await settleOrder(client.db, env, tenantId, orderId)
  } catch (error) {
    console.error(JSON.stringify({ message: 'settling after a Stripe payment failed; the Cart object retries', orderId, error: String(error) }))
  } finally {
    await client.close()
  }
}

async function receive(c: Context<AppEnv>, secret: WebhookSecretName) {
  const event = await verifyWebhook(c.env, secret, await c.req.text(), c.req.header('stripe-signature'))
  const db = c.var.db.get()
  if (await alreadyProcessed(db, event.id)) return { received: true as const, outcome: 'duplicate' as const }
  const stripe = stripeClient(c.env)
  const outcome =
    secret === 'webhookSecret'
      ? await handlePlatformEvent(db, stripe, event)
      : await handleConnectEvent({ db, env: c.env, stripe, settleLater: (tenantId, orderId) => c.executionCtx.waitUntil(settleInBackground(c.env, tenantId, orderId)) }, event)
  return { received: true as const, outcome }
}

export const stripeWebhookRoutes = createRouter()
  .openapi(hook('/v1/webhooks/stripe', "the platform's account (tenants' subscriptions and invoices)"), async (c) => c.json(await receive(c, 'webhookSecret'), 200))
  .openapi(hook('/v1/webhooks/stripe-connect', "shops' connected accounts (order payments, refunds, disputes, account status)"), async (c) => c.json(await receive(c, 'connectWebhookSecret'), 200))
