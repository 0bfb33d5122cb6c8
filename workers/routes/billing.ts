// The tenant's plan subscription in the platform's Stripe account: buy a plan (Checkout), manage it (Billing Portal),
// and read its state with recent invoices. Without Stripe keys every route answers 503 `payments_not_configured`.
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { billingSummary, openPortal, startPlanCheckout } from '../billing/plans'
import { stripeClient } from '../billing/stripe'
import { asMember } from '../auth/context'
import { users } from '../db/schema/tenants'
import { createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { requireMember } from '../middleware/authenticate'

const UrlSchema = z.object({ url: z.url() }).openapi('RedirectUrl')

const BillingSchema = z
  .object({
    plan: z.object({ id: z.string(), name: z.string() }).openapi({ description: 'The plan whose limits apply now' }),
    subscription: z
      .object({
        id: z.string(),
        status: z.string().openapi({ description: "Stripe's status: active, trialing, past_due, canceled, unpaid, incomplete…" }),
        plan: z.string().nullable(),
        interval: z.string().nullable(),
        currentPeriodEnd: z.string().nullable(),
        cancelAtPeriodEnd: z.boolean(),
      })
      .nullable(),
    pastDue: z.boolean().openapi({ description: 'A payment failed: the plan holds until downgradeAt (the grace period)' }),
    downgradeAt: z.string().nullable().openapi({ description: 'When the tenant drops to starter limits unless paid (grace end, or a cancelled period end)' }),
    invoices: z.array(z.object({ id: z.string(), status: z.string(), amountDue: z.int(), amountPaid: z.int(), currency: z.string(), createdAt: z.string(), url: z.string().nullable() })),
    plans: z.array(z.object({ id: z.string(), name: z.string(), priceCents: z.int(), currency: z.string(), intervals: z.array(z.enum(['month', 'year'])) })),
  })
  .openapi('Billing')

const CheckoutSchema = z.object({ plan: z.string().min(1).max(100).openapi({ example: 'professional' }), interval: z.enum(['month', 'year']).default('month') }).openapi('PlanCheckout')

const common = { tags: ['Billing'], security: MEMBER_CREDENTIAL }
const failures = {
  401: errorResponse('Not signed in'),
  403: errorResponse('Not an owner (API keys cannot manage billing)'),
  429: errorResponse('Rate limited'),
  502: errorResponse('Stripe refused or failed the call (payment_provider_error)'),
  503: errorResponse('Stripe is not configured on this server (payments_not_configured, naming the variables to set)'),
}

const summary = createRoute({
  ...common,
  method: 'get',
  path: '/v1/billing',
  summary: "The tenant's plan, subscription status, grace period, recent invoices and plans on sale (owners and admins)",
  middleware: requireMember('owner', 'admin'),
  responses: { 200: jsonResponse('Billing state', BillingSchema), ...failures, 403: errorResponse('Not an owner or admin') },
})
const checkout = createRoute({
  ...common,
  method: 'post',
  path: '/v1/billing/checkout',
  summary: 'Start a Stripe Checkout for a plan (owners); the subscription it creates sets the plan by webhook',
  middleware: requireMember('owner'),
  request: { body: jsonBody(CheckoutSchema) },
  responses: {
    200: jsonResponse('Where to send the owner to pay', UrlSchema),
    400: errorResponse('Unknown plan or interval'),
    409: errorResponse('plan_not_for_sale (no Stripe price for it), or conflict: a subscription runs (change it in the portal)'),
    ...failures,
  },
})
const portal = createRoute({
  ...common,
  method: 'post',
  path: '/v1/billing/portal',
  summary: "Open Stripe's Billing Portal for the tenant's subscription (owners)",
  middleware: requireMember('owner'),
  responses: { 200: jsonResponse('Where to send the owner', UrlSchema), 409: errorResponse('No billing account yet: buy a plan first'), ...failures },
})

/** The admin UI's origin, where Stripe sends the owner back. */
const adminOrigin = (env: Env, url: string) => env.PUBLIC_URL || new URL(url).origin

export const billingRoutes = createRouter()
  .openapi(summary, async (c) => {
    const stripe = stripeClient(c.env)
    return c.json(await billingSummary(c.var.db.get(), stripe, c.var.caller.tenantId), 200)
  })
  .openapi(checkout, async (c) => {
    const stripe = stripeClient(c.env)
    const input = c.req.valid('json')
    const caller = asMember(c.var.caller)
    const db = c.var.db.get()
    const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, caller.userId))
    const answer = await startPlanCheckout(db, stripe, { tenantId: caller.tenantId, email: user?.email ?? null, plan: input.plan, interval: input.interval, returnUrl: `${adminOrigin(c.env, c.req.url)}/billing` })
    return c.json(answer, 200)
  })
  .openapi(portal, async (c) => {
    const stripe = stripeClient(c.env)
    return c.json(await openPortal(c.var.db.get(), stripe, c.var.caller.tenantId, `${adminOrigin(c.env, c.req.url)}/billing`), 200)
  })
