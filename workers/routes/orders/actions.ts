// What staff do to an order over HTTP: record a payment, cancel, refund (optionally restocking) and fulfill.
import { createRoute } from '@hono/zod-openapi'
import { refundOnStripe } from '../../billing/order-payments'
import { stripeClient } from '../../billing/stripe'
import { recordFulfillment } from '../../commerce/orders/fulfillments'
import { cancelOrder, recordPayment, recordRefund } from '../../commerce/orders/money'
import { orderJson } from '../../commerce/orders/store'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { CancelSchema, FulfillmentSchema, OrderIdParam, OrderSchema, orderActor, PaymentSchema, RefundSchema } from './schemas'

const common = { method: 'post' as const, tags: ['Orders'], security: ANY_CREDENTIAL, middleware: requireScope('write') }
const answers = (conflicts: string) => ({
  200: jsonResponse('The order after the change', OrderSchema),
  400: errorResponse('Invalid fields (amounts and quantities are integers of at least 1), unknown or repeated line'),
  401: errorResponse('No valid credential'),
  403: errorResponse('Scope missing, or a publishable key'),
  404: errorResponse('No such order'),
  409: errorResponse(conflicts),
  429: errorResponse('Rate limited'),
})

const pay = createRoute({
  ...common,
  path: '/v1/orders/{id}/payments',
  summary: 'Record a payment; the one completing the total marks the order paid and commits its stock',
  request: { params: OrderIdParam, body: jsonBody(PaymentSchema) },
  responses: answers('overpayment (details: balance), order_cancelled or payment_window_lapsed'),
})
const cancel = createRoute({
  ...common,
  path: '/v1/orders/{id}/cancel',
  summary: 'Cancel an order that holds no money; its unpaid stock is released',
  request: { params: OrderIdParam, body: { ...jsonBody(CancelSchema), required: false } },
  responses: answers('order_not_cancellable (payments to refund first, or completed)'),
})
const refund = createRoute({
  ...common,
  path: '/v1/orders/{id}/refunds',
  summary: 'Refund money and optionally units (restock returns them to stock with reason `return`); money paid through Stripe goes back through Stripe',
  request: { params: OrderIdParam, body: jsonBody(RefundSchema) },
  responses: {
    ...answers('refund_exceeds_paid (details: refundable), order_not_paid for a restock of an unpaid order, or payments_account_not_ready'),
    502: errorResponse('Stripe refused the refund (payment_provider_error)'),
    503: errorResponse('The order was paid through Stripe and Stripe is not configured (payments_not_configured)'),
  },
})
const fulfill = createRoute({
  ...common,
  path: '/v1/orders/{id}/fulfillments',
  summary: 'Record units shipped or handed over; the order is completed once every unit is',
  request: { params: OrderIdParam, body: jsonBody(FulfillmentSchema) },
  responses: answers('over_fulfillment, order_not_paid or order_cancelled'),
})

export const orderActionRoutes = createRouter()
  .openapi(pay, async (c) => {
    const db = c.var.db.get()
    const input = c.req.valid('json')
    const order = await recordPayment(db, c.env, c.var.caller.tenantId, c.req.valid('param').id, { method: input.method, amount: input.amount, reference: input.reference ?? null }, orderActor(c.var.caller))
    return c.json(await orderJson(db, order), 200)
  })
  .openapi(cancel, async (c) => {
    const db = c.var.db.get()
    const order = await cancelOrder(db, c.env, c.var.caller.tenantId, c.req.valid('param').id, orderActor(c.var.caller), c.req.valid('json').reason ?? null)
    return c.json(await orderJson(db, order), 200)
  })
  .openapi(refund, async (c) => {
    const db = c.var.db.get()
    const input = c.req.valid('json')
    const refund = { amount: input.amount, lines: input.lines ?? [], restock: input.restock }
    const stripeRefundId = await refundOnStripe(db, () => stripeClient(c.env), c.var.caller.tenantId, c.req.valid('param').id, refund)
    const order = await recordRefund(db, c.env, c.var.caller.tenantId, c.req.valid('param').id, { ...refund, stripeRefundId }, orderActor(c.var.caller))
    return c.json(await orderJson(db, order), 200)
  })
  .openapi(fulfill, async (c) => {
    const db = c.var.db.get()
    const input = c.req.valid('json')
    const request = { lines: input.lines, carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null, trackingUrl: input.trackingUrl ?? null }
    const order = await recordFulfillment(db, c.var.caller.tenantId, c.req.valid('param').id, request, orderActor(c.var.caller))
    return c.json(await orderJson(db, order), 200)
  })
