// Carts over HTTP: create (a publishable key gets the cart secret once), read, and add, resize or remove lines, each
// line holding a reservation in the Inventory object that owns its SKU.
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { CartState } from '../../durable-objects/cart'
import { MAX_QUANTITY, MAX_TEXT_LENGTH } from '../../durable-objects/inventory/limits'
import { shardFor } from '../../durable-objects/inventory/shards'
import { listActiveCarts, saveCartSummaryQuietly } from '../commerce/cart-summaries'
import { assertCartAccess, cartJson, cartOrThrow, cartStub, pricedItem } from '../commerce/carts'
import { loadCommerceSettings } from '../commerce/settings'
import { tenantShardCount } from '../inventory/shard-count'
import type { AppEnv } from '../lib/app-env'
import { randomToken, sha256Hex } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { INVALID_CURSOR_RESPONSE, PageQuerySchema, pageOf } from '../lib/pagination'
import { requireScope } from '../middleware/authenticate'
import { allowStorefront, isPublishable } from '../middleware/storefront'

/** Random bytes of a cart secret. */
const CART_SECRET_BYTES = 24

const Currency = z.string().regex(/^[A-Z]{3}$/).openapi({ description: 'ISO 4217 code; one currency per cart', example: 'EUR' })
const Quantity = z.int().min(1).max(MAX_QUANTITY)
const CartIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const LineParam = CartIdParam.extend({ lineId: z.uuid().openapi({ param: { name: 'lineId', in: 'path' } }) })
const SecretHeader = z.object({ 'x-cart-secret': z.string().max(200).optional().openapi({ description: 'Required with a publishable key' }) })

const CartLineSchema = z.object({
  id: z.uuid(),
  sku: z.string(),
  productId: z.uuid(),
  variantId: z.uuid(),
  productName: z.string(),
  variantName: z.string().nullable(),
  options: z.record(z.string(), z.string()),
  quantity: z.int(),
  location: z.string(),
  unitPrice: z.int(),
  lineTotal: z.int(),
  reserved: z.boolean(),
})
export const TotalsSchema = z
  .object({ subtotal: z.int(), shipping: z.int(), tax: z.int(), taxIncluded: z.boolean(), total: z.int() })
  .openapi('Totals', { description: 'Integer minor units of the currency' })
const CartSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['active', 'expired', 'checked_out']),
    currency: z.string(),
    customerId: z.uuid().nullable(),
    email: z.string().nullable(),
    orderId: z.uuid().nullable(),
    expiresAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lines: z.array(CartLineSchema),
    totals: TotalsSchema,
  })
  .openapi('Cart')
const CreatedCartSchema = CartSchema.extend({ secret: z.string().optional().openapi({ description: 'Publishable-key carts only; shown once, send it as X-Cart-Secret' }) })

const CreateCartSchema = z.object({ currency: Currency, customerId: z.uuid().optional(), email: z.email().max(254).optional() }).openapi('CreateCart')
const AddLineSchema = z
  .object({ sku: z.string().trim().min(1).max(MAX_TEXT_LENGTH), quantity: Quantity, location: z.string().trim().min(1).max(MAX_TEXT_LENGTH).optional() })
  .openapi('AddCartLine')
const PatchLineSchema = z.object({ quantity: Quantity }).openapi('PatchCartLine')

const ActiveCartSchema = z
  .object({
    id: z.uuid(),
    currency: z.string(),
    customerId: z.uuid().nullable(),
    customerName: z.string().nullable(),
    email: z.string().nullable(),
    linesCount: z.int(),
    unitsReserved: z.int().openapi({ description: 'Units whose stock the cart holds' }),
    subtotal: z.int().openapi({ description: 'Minor units of the currency' }),
    expiresAt: z.string().openapi({ description: 'When the reservations lapse unless the cart is used again' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ActiveCart')

const common = { tags: ['Carts'], security: ANY_CREDENTIAL }
const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing or origin not allowed'), 429: errorResponse('Rate limited') }
const cartAnswer = jsonResponse('The cart', CartSchema)

const create = createRoute({
  ...common,
  method: 'post',
  path: '/v1/carts',
  summary: 'Create a cart (publishable key, write key or member)',
  middleware: allowStorefront('write'),
  request: { body: jsonBody(CreateCartSchema) },
  responses: { 201: jsonResponse('Created; `secret` only for publishable keys', CreatedCartSchema), 400: errorResponse('Invalid fields'), ...denied },
})
const get = createRoute({
  ...common,
  method: 'get',
  path: '/v1/carts/{id}',
  summary: 'A cart with its lines and totals',
  middleware: allowStorefront('read', 'write'),
  request: { params: CartIdParam, headers: SecretHeader },
  responses: { 200: cartAnswer, 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such cart, or secret missing or wrong') },
})
const addLine = createRoute({
  ...common,
  method: 'post',
  path: '/v1/carts/{id}/items',
  summary: 'Add a line: reserves the stock at the named location or the first in the tenant\'s priority order with enough',
  middleware: allowStorefront('write'),
  request: { params: CartIdParam, headers: SecretHeader, body: jsonBody(AddLineSchema) },
  responses: {
    200: cartAnswer,
    400: errorResponse('Invalid fields, unknown SKU or another currency'),
    ...denied,
    404: errorResponse('No such cart'),
    409: errorResponse('insufficient_stock (details: available per location) or cart_checked_out'),
  },
})
const patchLine = createRoute({
  ...common,
  method: 'patch',
  path: '/v1/carts/{id}/items/{lineId}',
  summary: 'Change a line\'s quantity; its reservation is resized',
  middleware: allowStorefront('write'),
  request: { params: LineParam, headers: SecretHeader, body: jsonBody(PatchLineSchema) },
  responses: { 200: cartAnswer, 400: errorResponse('Invalid quantity'), ...denied, 404: errorResponse('No such cart or line'), 409: errorResponse('insufficient_stock, cart_expired or cart_checked_out') },
})
const removeLine = createRoute({
  ...common,
  method: 'delete',
  path: '/v1/carts/{id}/items/{lineId}',
  summary: 'Remove a line; its stock is released',
  middleware: allowStorefront('write'),
  request: { params: LineParam, headers: SecretHeader },
  responses: { 200: cartAnswer, 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such cart or line'), 409: errorResponse('cart_expired or cart_checked_out') },
})

const list = createRoute({
  ...common,
  method: 'get',
  path: '/v1/carts',
  summary: 'Active carts (time left), most recent activity first; read from a summary the cart calls keep current',
  middleware: requireScope('read'),
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse('A page of active carts', pageOf(ActiveCartSchema)), 400: INVALID_CURSOR_RESPONSE, 401: denied[401], 403: errorResponse('Scope missing, or a publishable key'), 429: denied[429] },
})

/** The cart a request names, after checking the caller may reach it. */
async function accessibleCart(c: Context<AppEnv>, cartId: string): Promise<CartState> {
  const cart = cartOrThrow(await cartStub(c.env, c.var.caller.tenantId, cartId).read())
  await assertCartAccess(cart, isPublishable(c.var.caller), c.req.header('x-cart-secret'))
  return cart
}

/** Keeps the admin list's summary of a cart current after its object answered; a failed write is logged, never raised. */
function summarise(c: Context<AppEnv>, cart: CartState): Promise<void> {
  return saveCartSummaryQuietly(c.var.db.get(), cart, c.var.requestId)
}

export const cartRoutes = createRouter()
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid('query')
    return c.json(await listActiveCarts(c.var.db.get(), c.var.caller.tenantId, limit, cursor), 200)
  })
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    const settings = await loadCommerceSettings(c.var.db.get(), caller.tenantId)
    const secret = isPublishable(caller) ? randomToken(CART_SECRET_BYTES) : undefined
    const cartId = crypto.randomUUID()
    const cart = cartOrThrow(
      await cartStub(c.env, caller.tenantId, cartId).create({
        tenantId: caller.tenantId,
        cartId,
        currency: input.currency,
        customerId: input.customerId ?? null,
        email: input.email ?? null,
        secretHash: secret === undefined ? null : await sha256Hex(secret),
        ttlSeconds: settings.cartTtlMinutes * 60,
      }),
    )
    await summarise(c, cart)
    return c.json({ ...cartJson(cart, settings), ...(secret === undefined ? {} : { secret }) }, 201)
  })
  .openapi(get, async (c) => {
    const cart = await accessibleCart(c, c.req.valid('param').id)
    return c.json(cartJson(cart, await loadCommerceSettings(c.var.db.get(), c.var.caller.tenantId)), 200)
  })
  .openapi(addLine, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const tenantId = c.var.caller.tenantId
    const db = c.var.db.get()
    const cart = await accessibleCart(c, id)
    const [item, settings, shardCount] = await Promise.all([pricedItem(db, tenantId, input.sku), loadCommerceSettings(db, tenantId), tenantShardCount(tenantId, () => db)])
    if (item.currency !== cart.currency) {
      throw new ApiError('invalid_request', `This cart is in ${cart.currency}; ${input.sku} is priced in ${item.currency}`, {
        details: [{ in: 'body', path: 'sku', message: 'currency mismatch', code: 'currency_mismatch' }],
      })
    }
    const { sku, ...priced } = item
    const result = await cartStub(c.env, tenantId, id).addLine({
      sku,
      quantity: input.quantity,
      location: input.location ?? null,
      locationPriority: settings.locationPriority,
      shard: shardFor(sku, shardCount),
      ttlSeconds: settings.cartTtlMinutes * 60,
      item: priced,
    })
    const changed = cartOrThrow(result)
    await summarise(c, changed)
    return c.json(cartJson(changed, settings), 200)
  })
  .openapi(patchLine, async (c) => {
    const { id, lineId } = c.req.valid('param')
    await accessibleCart(c, id)
    const settings = await loadCommerceSettings(c.var.db.get(), c.var.caller.tenantId)
    const changed = cartOrThrow(await cartStub(c.env, c.var.caller.tenantId, id).updateLine({ lineId, quantity: c.req.valid('json').quantity, ttlSeconds: settings.cartTtlMinutes * 60 }))
    await summarise(c, changed)
    return c.json(cartJson(changed, settings), 200)
  })
  .openapi(removeLine, async (c) => {
    const { id, lineId } = c.req.valid('param')
    await accessibleCart(c, id)
    const settings = await loadCommerceSettings(c.var.db.get(), c.var.caller.tenantId)
    const changed = cartOrThrow(await cartStub(c.env, c.var.caller.tenantId, id).removeLine({ lineId, ttlSeconds: settings.cartTtlMinutes * 60 }))
    await summarise(c, changed)
    return c.json(cartJson(changed, settings), 200)
  })
