// Orders over HTTP: checkout of a cart (storefront keys with the cart secret too), the point-of-sale sale, one order,
// the filtered list and its CSV export. Everything under /v1/orders refuses publishable keys (403).
import { createRoute, z } from '@hono/zod-openapi'
import { saveCartSummaryQuietly } from '../../commerce/cart-summaries'
import { assertCartAccess, cartOrThrow, cartStub } from '../../commerce/carts'
import { checkoutCart } from '../../commerce/orders/checkout'
import { exportOrders, listOrders } from '../../commerce/orders/list'
import { sell } from '../../commerce/orders/sale'
import { orderJson, requireOrder } from '../../commerce/orders/store'
import { loadCommerceSettings } from '../../commerce/settings'
import { createDatabase } from '../../db/client'
import { IdempotentHeadersSchema } from '../../inventory/idempotency'
import { INVALID_CURSOR_RESPONSE, pageOf } from '../../lib/pagination'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { allowStorefront, isPublishable } from '../../middleware/storefront'
import { CheckoutSchema, ListQuerySchema, OrderFiltersSchema, OrderIdParam, OrderSchema, OrderSummarySchema, orderActor, SaleSchema } from './schemas'

const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing, or a publishable key'), 429: errorResponse('Rate limited') }
const orderAnswer = (description: string) => jsonResponse(description, OrderSchema)
const CartParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const CheckoutHeaders = IdempotentHeadersSchema.extend({ 'x-cart-secret': z.string().max(200).optional().openapi({ description: 'Required with a publishable key' }) })

const checkout = createRoute({
  method: 'post',
  path: '/v1/carts/{id}/checkout',
  tags: ['Orders'],
  security: ANY_CREDENTIAL,
  summary: 'Check a cart out: its reservations move to a new order for the payment window',
  middleware: allowStorefront('write'),
  request: { params: CartParam, headers: CheckoutHeaders, body: jsonBody(CheckoutSchema) },
  responses: {
    201: orderAnswer('The order (the same one for a retry with the same Idempotency-Key)'),
    400: errorResponse('Invalid fields or address, Idempotency-Key missing, unknown customer or shipping method'),
    ...denied,
    404: errorResponse('No such cart, or secret missing or wrong'),
    409: errorResponse('cart_empty, cart_expired, cart_checked_out, price_changed (details: new prices and totals), conflict (cart changed meanwhile) or idempotency_conflict'),
  },
})
const pointOfSale = createRoute({
  method: 'post',
  path: '/v1/orders',
  tags: ['Orders'],
  security: ANY_CREDENTIAL,
  summary: 'Point-of-sale sale: a paid order and its stock taken, in one call, all or nothing',
  middleware: requireScope('write'),
  request: { headers: IdempotentHeadersSchema, body: jsonBody(SaleSchema) },
  responses: {
    201: orderAnswer('The paid order (the same one for a retry with the same Idempotency-Key)'),
    400: errorResponse('Invalid fields, unknown SKU or customer, mixed currencies, amount below the total'),
    ...denied,
    409: errorResponse('insufficient_stock (details: available per location), overpayment or idempotency_conflict'),
  },
})
const getOrder = createRoute({
  method: 'get',
  path: '/v1/orders/{id}',
  tags: ['Orders'],
  security: ANY_CREDENTIAL,
  summary: 'An order with its lines, payments, refunds, fulfillments and timeline',
  middleware: requireScope('read'),
  request: { params: OrderIdParam },
  responses: { 200: orderAnswer('The order'), 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such order') },
})
const list = createRoute({
  method: 'get',
  path: '/v1/orders',
  tags: ['Orders'],
  security: ANY_CREDENTIAL,
  summary: 'Orders newest first, filtered',
  middleware: requireScope('read'),
  request: { query: ListQuerySchema },
  responses: { 200: jsonResponse('A page of orders', pageOf(OrderSummarySchema)), 400: INVALID_CURSOR_RESPONSE, ...denied },
})
const exportRoute = createRoute({
  method: 'get',
  path: '/v1/orders/export',
  tags: ['Orders'],
  security: ANY_CREDENTIAL,
  summary: 'Stream the filtered orders as CSV',
  middleware: requireScope('read'),
  request: { query: OrderFiltersSchema },
  responses: { 200: { description: 'CSV, one row per order', content: { 'text/csv': { schema: z.string() } } }, 400: errorResponse('Invalid filter'), ...denied },
})

export const orderRoutes = createRouter()
  .openapi(checkout, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    const db = c.var.db.get()
    const cart = cartOrThrow(await cartStub(c.env, caller.tenantId, id).read())
    await assertCartAccess(cart, isPublishable(caller), c.req.valid('header')['x-cart-secret'])
    const settings = await loadCommerceSettings(db, caller.tenantId)
    const request = { ...c.req.valid('json'), storefront: isPublishable(caller) }
    const order = await checkoutCart(db, c.env, cart, request, settings, c.req.valid('header')['idempotency-key'], orderActor(caller))
    const after = await cartStub(c.env, caller.tenantId, id).read()
    if (after.ok) await saveCartSummaryQuietly(db, after.cart, c.var.requestId)
    return c.json(await orderJson(db, order), 201)
  })
  .openapi(pointOfSale, async (c) => {
    const caller = c.var.caller
    const db = c.var.db.get()
    const settings = await loadCommerceSettings(db, caller.tenantId)
    const order = await sell(db, c.env, caller.tenantId, c.req.valid('header')['idempotency-key'], c.req.valid('json'), settings, orderActor(caller))
    return c.json(await orderJson(db, order), 201)
  })
  .openapi(exportRoute, (c) => {
    const client = createDatabase({ url: c.env.DATABASE_URL, driver: c.env.DATABASE_DRIVER })
    const stream = exportOrders(client, c.var.caller.tenantId, c.req.valid('query'))
    return c.body(stream, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="orders.csv"' })
  })
  .openapi(getOrder, async (c) => {
    const db = c.var.db.get()
    const order = await requireOrder(db, c.var.caller.tenantId, c.req.valid('param').id)
    return c.json(await orderJson(db, order), 200)
  })
  .openapi(list, async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query')
    return c.json(await listOrders(c.var.db.get(), c.var.caller.tenantId, filters, limit, cursor), 200)
  })
