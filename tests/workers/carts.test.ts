// Carts over HTTP: reservations follow the lines, the cart secret of publishable-key carts, multi-location choice,
// races for the last units, expiry exactly once by the alarm, restarts, bad input and tenant isolation.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, apiRetryingBusy } from './helpers'
import { levelOf, openShop, stockedVariant, type Shop } from './commerce-helpers'

type Cart = { id: string; secret?: string; status: string; lines: { id: string; sku: string; quantity: number; location: string; unitPrice: number; lineTotal: number }[]; totals: Record<string, number | boolean> }
type ErrorBody = { error: { code: string; details?: unknown } }

async function newCart(shop: Shop, credential: { apiKey?: string; token?: string } = { apiKey: shop.serverKey }, currency = 'EUR'): Promise<Cart> {
  const { res, body } = await apiRetryingBusy<Cart>('/v1/carts', { ...credential, body: { currency } })
  if (res.status !== 201) throw new Error(`cart not created: ${res.status} ${JSON.stringify(body)}`)
  return body
}

/** Adds a line; 200 concurrent adds can find the database server at its connection limit, so busy answers are retried. */
const add = (shop: Shop, cartId: string, line: Record<string, unknown>, extra: { apiKey?: string; token?: string; secret?: string } = {}) =>
  apiRetryingBusy<Cart & ErrorBody>(`/v1/carts/${cartId}/items`, {
    ...(extra.token ? { token: extra.token } : { apiKey: extra.apiKey ?? shop.serverKey }),
    body: line,
    headers: extra.secret ? { 'x-cart-secret': extra.secret } : {},
  })

describe('carts', () => {
  it('reserve on add, resize on change, release on remove; totals with tax', async () => {
    const shop = await openShop({ taxRateBasisPoints: 2100 })
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const cart = await newCart(shop)
    expect(cart.secret).toBeUndefined()
    const added = await add(shop, cart.id, { sku, quantity: 3 })
    expect(added.res.status).toBe(200)
    expect(added.body.lines).toMatchObject([{ sku, quantity: 3, location: 'main', unitPrice: 1000, lineTotal: 3000 }])
    expect(added.body.totals).toEqual({ subtotal: 3000, shipping: 0, tax: 630, taxIncluded: false, total: 3630 })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10, reserved: 3 })
    const lineId = added.body.lines[0]?.id ?? ''
    expect((await api(`/v1/carts/${cart.id}/items/${lineId}`, { apiKey: shop.serverKey, method: 'PATCH', body: { quantity: 7 } })).res.status).toBe(200)
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 7 })
    const tooMany = await api<ErrorBody>(`/v1/carts/${cart.id}/items/${lineId}`, { apiKey: shop.serverKey, method: 'PATCH', body: { quantity: 11 } })
    expect(tooMany.res.status).toBe(409)
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 7 })
    expect((await api(`/v1/carts/${cart.id}/items/${lineId}`, { apiKey: shop.serverKey, method: 'PATCH', body: { quantity: 2 } })).res.status).toBe(200)
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 2 })
    const removed = await api<Cart>(`/v1/carts/${cart.id}/items/${lineId}`, { apiKey: shop.serverKey, method: 'DELETE' })
    expect(removed.res.status).toBe(200)
    expect(removed.body.lines).toEqual([])
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 10, reserved: 0 })
  })

  it('needs the cart secret with a publishable key (missing or wrong: 404); server keys and members reach every cart', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop)
    const cart = await newCart(shop, { apiKey: shop.publishableKey })
    expect(cart.secret).toEqual(expect.any(String))
    const secret = cart.secret ?? ''
    expect((await add(shop, cart.id, { sku, quantity: 1 }, { apiKey: shop.publishableKey, secret })).res.status).toBe(200)
    for (const headers of [{}, { 'x-cart-secret': 'wrong' }] as Record<string, string>[]) {
      expect((await api(`/v1/carts/${cart.id}`, { apiKey: shop.publishableKey, headers })).res.status).toBe(404)
      expect((await api(`/v1/carts/${cart.id}/items`, { apiKey: shop.publishableKey, headers, body: { sku, quantity: 1 } })).res.status).toBe(404)
    }
    expect((await api(`/v1/carts/${cart.id}`, { apiKey: shop.publishableKey, headers: { 'x-cart-secret': secret } })).res.status).toBe(200)
    expect((await api(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })).res.status).toBe(200)
    expect((await api(`/v1/carts/${cart.id}`, { token: shop.owner.accessToken })).res.status).toBe(200)
    const serverCart = await newCart(shop)
    expect((await api(`/v1/carts/${serverCart.id}`, { apiKey: shop.publishableKey, headers: { 'x-cart-secret': secret } })).res.status).toBe(404)
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 1 })
  })

  it('takes stock from the named location or the first in priority order with enough; 409 says what each has', async () => {
    const shop = await openShop({ locationPriority: ['store', 'main'] })
    const { sku } = await stockedVariant(shop, { stock: { main: 5, store: 2 } })
    const cart = await newCart(shop)
    expect((await add(shop, cart.id, { sku, quantity: 2 })).body.lines[0]?.location).toBe('store')
    expect((await add(shop, cart.id, { sku, quantity: 3, location: 'main' })).body.lines.map((l) => [l.location, l.quantity])).toEqual([['store', 2], ['main', 3]])
    const short = await add(shop, cart.id, { sku, quantity: 3 })
    expect(short.res.status).toBe(409)
    expect(short.body.error.code).toBe('insufficient_stock')
    expect(short.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ location: 'main', available: 2 }), expect.objectContaining({ location: 'store', available: 0 })]))
  })

  it('gives the last unit to exactly one of two carts, and 50 units to exactly 50 of 200 carts', { timeout: 120_000 }, async () => {
    const shop = await openShop()
    const last = await stockedVariant(shop, { stock: { main: 1 } })
    const member = { token: shop.owner.accessToken }
    const pair = await Promise.all([newCart(shop, member), newCart(shop, member)])
    const raced = await Promise.all(pair.map((cart) => add(shop, cart.id, { sku: last.sku, quantity: 1 }, member)))
    expect(raced.map((r) => r.res.status).sort()).toEqual([200, 409])
    const { sku } = await stockedVariant(shop, { stock: { main: 50 } })
    const carts = await Promise.all(Array.from({ length: 200 }, () => newCart(shop, member)))
    const answers = await Promise.all(carts.map((cart) => add(shop, cart.id, { sku, quantity: 1 }, member)))
    const tally: Record<number, number> = {}
    for (const answer of answers) tally[answer.res.status] = (tally[answer.res.status] ?? 0) + 1
    expect(tally, JSON.stringify(answers.find((a) => a.res.status !== 200 && a.res.status !== 409)?.body)).toEqual({ 200: 50, 409: 150 })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 50, reserved: 50, available: 0 })
  })

  it('expires once by the alarm (a second run changes nothing), keeps its lines across a restart, and reserves afresh on a later add', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const cart = await newCart(shop)
    await add(shop, cart.id, { sku, quantity: 2 })
    const stub = env.CART.getByName(`${shop.owner.tenant.id}:${cart.id}`)
    const fresh = env.CART.getByName(`${shop.owner.tenant.id}:${cart.id}`)
    expect((await fresh.read()).ok && (await fresh.read())).toMatchObject({ cart: { lines: [{ sku, quantity: 2 }] } })
    await runInDurableObject(stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ state: string }>('select state from cart').one()
      state.storage.sql.exec('update cart set state = ?', JSON.stringify({ ...(JSON.parse(row.state) as object), expiresAt: Date.now() - 1 }))
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 0 })
    await runInDurableObject(stub, (instance) => instance.alarm())
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 0 })
    const expired = await api<Cart>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })
    expect(expired.body.status).toBe('expired')
    const again = await add(shop, cart.id, { sku, quantity: 1 })
    expect(again.body).toMatchObject({ status: 'active', lines: [{ sku, quantity: 1 }] })
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 1 })
  })

  it('answers bad input with 400 and changes nothing', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const usd = await stockedVariant(shop, { currency: 'USD' })
    const cart = await newCart(shop)
    for (const line of [{ sku, quantity: 0 }, { sku, quantity: -1 }, { sku, quantity: 1.5 }, { sku: 'NOPE', quantity: 1 }, { sku: usd.sku, quantity: 1 }, { quantity: 1 }]) {
      const res = await add(shop, cart.id, line)
      expect(res.res.status, JSON.stringify(line)).toBe(400)
    }
    expect((await api('/v1/carts', { apiKey: shop.serverKey, body: { currency: 'euro' } })).res.status).toBe(400)
    expect((await api('/v1/carts/not-a-uuid', { apiKey: shop.serverKey })).res.status).toBe(400)
    expect((await api<Cart>(`/v1/carts/${cart.id}`, { apiKey: shop.serverKey })).body.lines).toEqual([])
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 0 })
  })

  it('keeps tenants apart: another tenant\'s credentials get 404 on every cart route', async () => {
    const shop = await openShop()
    const other = await openShop()
    const { sku } = await stockedVariant(shop)
    const cart = await newCart(shop)
    const lineId = (await add(shop, cart.id, { sku, quantity: 1 })).body.lines[0]?.id ?? ''
    for (const credential of [{ apiKey: other.serverKey }, { token: other.owner.accessToken }]) {
      expect((await api(`/v1/carts/${cart.id}`, credential)).res.status).toBe(404)
      expect((await api(`/v1/carts/${cart.id}/items`, { ...credential, body: { sku, quantity: 1 } })).res.status).toBe(404)
      expect((await api(`/v1/carts/${cart.id}/items/${lineId}`, { ...credential, method: 'PATCH', body: { quantity: 2 } })).res.status).toBe(404)
      expect((await api(`/v1/carts/${cart.id}/items/${lineId}`, { ...credential, method: 'DELETE' })).res.status).toBe(404)
    }
    expect(await levelOf(shop, sku)).toMatchObject({ reserved: 1 })
  })
})
