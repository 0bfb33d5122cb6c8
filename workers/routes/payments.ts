// Shops take their customers' payments into their own Stripe account (Connect): connect and onboard it, read its
// status, and open a Checkout Session for an order's balance. Without Stripe keys these answer 503 `payments_not_configured`.
import { createRoute, z } from '@hono/zod-openapi'
import { connectStatus, onboardingLink } from '../billing/connect'
import { orderCheckoutSession } from '../billing/order-payments'
import { stripeClient } from '../billing/stripe'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { requireMember, requireScope } from '../middleware/authenticate'
import { OrderIdParam } from './orders/schemas'

const ConnectStatusSchema = z
  .object({
    accountId: z.string().nullable().openapi({ description: 'The connected account, null before the first onboarding' }),
    chargesEnabled: z.boolean(),
    payoutsEnabled: z.boolean(),
    requirementsDue: z.array(z.string()).openapi({ description: 'What Stripe still needs from the shop (currently due)' }),
  })
  .openapi('PaymentsAccount')

const OnboardingSchema = z.object({ url: z.url(), accountId: z.string() }).openapi('PaymentsOnboarding')

const ReturnUrl = z.url().max(2000).refine((u) => /^https?:/.test(u), 'an http(s) URL')
const SessionRequestSchema = z
  .object({
    successUrl: ReturnUrl.optional().openapi({ description: 'Where Stripe sends the shopper after paying (defaults to the admin order page)' }),
    cancelUrl: ReturnUrl.optional(),
  })
  .openapi('OrderCheckoutSessionRequest')

const SessionSchema = z
  .object({
    id: z.string(),
    url: z.url(),
    amount: z.int().openapi({ description: "The order's balance, in minor units" }),
    applicationFee: z.int().openapi({ description: "The platform's fee under the tenant's plan" }),
    expiresAt: z.string().openapi({ description: "The order's payment window, clamped to 30 minutes – 24 hours from now (Stripe's bounds)" }),
  })
  .openapi('OrderCheckoutSession')

const failures = {
  401: errorResponse('No valid credential'),
  429: errorResponse('Rate limited'),
  502: errorResponse('Stripe refused or failed the call (payment_provider_error)'),
  503: errorResponse('Stripe is not configured on this server (payments_not_configured, naming the variables to set)'),
}

const status = createRoute({
  method: 'get',
  path: '/v1/payments/connect',
  tags: ['Payments'],
  summary: "The shop's payments account: charges and payouts enabled, requirements due (owners and admins)",
  security: MEMBER_CREDENTIAL,
  middleware: requireMember('owner', 'admin'),
  responses: { 200: jsonResponse('Account status', ConnectStatusSchema), 403: errorResponse('Not an owner or admin'), ...failures },
})
const connect = createRoute({
  method: 'post',
  path: '/v1/payments/connect',
  tags: ['Payments'],
  summary: "Connect the shop's Stripe account: creates it once, answers an onboarding link (owners)",
  security: MEMBER_CREDENTIAL,
  middleware: requireMember('owner'),
  responses: { 200: jsonResponse('Where to send the owner to onboard', OnboardingSchema), 403: errorResponse('Not an owner'), ...failures },
})
const session = createRoute({
  method: 'post',
  path: '/v1/orders/{id}/checkout-session',
  tags: ['Orders'],
  summary: "A Stripe Checkout Session for the order's balance on the shop's account; the paid session pays the order by webhook",
  security: ANY_CREDENTIAL,
  middleware: requireScope('write'),
  request: { params: OrderIdParam, body: { ...jsonBody(SessionRequestSchema), required: false } },
  responses: {
    200: jsonResponse('The session and where to pay', SessionSchema),
    400: errorResponse('Invalid return URLs'),
    403: errorResponse('Scope missing, or a publishable key'),
    404: errorResponse('No such order'),
    409: errorResponse('order_cancelled, payment_window_lapsed, conflict (nothing owed) or payments_account_not_ready'),
    ...failures,
  },
})

/** The admin UI's origin, where Stripe sends people back. */
const adminOrigin = (env: Env, url: string) => env.PUBLIC_URL || new URL(url).origin

export const paymentRoutes = createRouter()
  .openapi(status, async (c) => {
    const stripe = stripeClient(c.env)
    return c.json(await connectStatus(c.var.db.get(), stripe, c.var.caller.tenantId), 200)
  })
  .openapi(connect, async (c) => {
    const stripe = stripeClient(c.env)
    const back = `${adminOrigin(c.env, c.req.url)}/settings/payments`
    return c.json(await onboardingLink(c.var.db.get(), stripe, c.var.caller.tenantId, { returnUrl: back, refreshUrl: `${back}?refresh=1` }), 200)
  })
  .openapi(session, async (c) => {
    const stripe = stripeClient(c.env)
    const id = c.req.valid('param').id
    const body = c.req.valid('json') ?? {}
    const orderPage = `${adminOrigin(c.env, c.req.url)}/orders/${id}`
    return c.json(await orderCheckoutSession(c.var.db.get(), stripe, c.var.caller.tenantId, id, { successUrl: body.successUrl ?? `${orderPage}?paid=1`, cancelUrl: body.cancelUrl ?? orderPage }), 200)
  })
