// The admin list of active carts: a cart appears when created, moves up and changes with its lines, and leaves the list
// when its alarm expires it or it is checked out; pages by keyset, refuses publishable keys, and keeps tenants apart.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createKey } from './helpers'
import { openShop, stockedVariant, type Shop } from './commerce-helpers'
import { cartWith, checkout, type ErrorBody } from './order-helpers'

type ActiveCart = { id: string; currency: string; customerId: string | null; customerName: string | null; email: string | null; linesCount: number; unitsReserved: number; subtotal: number; expiresAt: string; updatedAt: string }
type Page = { data: ActiveCart[]; nextCursor: string | null }

const listed = async (shop: Shop, query = ''): Promise<Page> => {
  const { res, body } = await api<Page>(`/v1/carts${query}`, { token: shop.owner.accessToken })
  expect(res.status, JSON.stringify(body)).toBe(200)
  return body
}

describe('active carts list', () => {
  it('lists a cart from creation, follows its changes newest activity first, and drops it once checked out', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1500, stock: { main: 10 } })
    const created = await api<{ id: string }>('/v1/carts', { apiKey: shop.serverKey, body: { currency: 'EUR', email: 'ana@example.com' } })
    expect(created.res.status).toBe(201)
    expect((await listed(shop)).data).toMatchObject([{ id: created.body.id, email: 'ana@example.com', unitsReserved: 0, subtotal: 0, linesCount: 0, currency: 'EUR' }])

    const other = await cartWith(shop, [{ sku, quantity: 2 }])
    expect((await listed(shop)).data.map((c) => c.id)).toEqual([other.id, created.body.id])

    const added = await api<{ lines: { id: string }[] }>(`/v1/carts/${created.body.id}/items`, { apiKey: shop.serverKey, body: { sku, quantity: 3 } })
    expect(added.res.status).toBe(200)
    const [first] = (await listed(shop)).data
    expect(first).toMatchObject({ id: created.body.id, unitsReserved: 3, subtotal: 4500, linesCount: 1 })
    expect(Date.parse(first?.expiresAt ?? '')).toBeGreaterThan(Date.now())

    const lineId = added.body.lines[0]?.id ?? ''
    expect((await api(`/v1/carts/${created.body.id}/items/${lineId}`, { apiKey: shop.serverKey, method: 'PATCH', body: { quantity: 1 } })).res.status).toBe(200)
    expect((await listed(shop)).data[0]).toMatchObject({ id: created.body.id, unitsReserved: 1, subtotal: 1500 })

    const firstPage = await listed(shop, '?limit=1')
    expect(firstPage.data.map((c) => c.id)).toEqual([created.body.id])
    expect((await listed(shop, `?limit=1&cursor=${firstPage.nextCursor ?? ''}`)).data.map((c) => c.id)).toEqual([other.id])

    expect((await checkout(shop, other.id)).res.status).toBe(201)
    expect((await listed(shop)).data.map((c) => c.id)).toEqual([created.body.id])
  })

  it('drops a cart its alarm expired, and lists it again once a later add reserves afresh', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku, quantity: 2 }])
    expect((await listed(shop)).data).toMatchObject([{ id: cart.id, unitsReserved: 2 }])
    const stub = env.CART.getByName(`${shop.owner.tenant.id}:${cart.id}`)
    await runInDurableObject(stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ state: string }>('select state from cart').one()
      state.storage.sql.exec('update cart set state = ?', JSON.stringify({ ...(JSON.parse(row.state) as object), expiresAt: Date.now() - 1 }))
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await listed(shop)).data).toEqual([])
    expect((await api(`/v1/carts/${cart.id}/items`, { apiKey: shop.serverKey, body: { sku, quantity: 1 } })).res.status).toBe(200)
    expect((await listed(shop)).data).toMatchObject([{ id: cart.id, unitsReserved: 1 }])
  })

  it("makes good a summary write lost after the cart changed (a crash between the object and the Worker's write): the alarm writes it", async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku, quantity: 1 }])
    const stub = env.CART.getByName(`${shop.owner.tenant.id}:${cart.id}`)
    await runDurableObjectAlarm(stub)
    const before = (await listed(shop)).data
    expect(before).toMatchObject([{ id: cart.id, unitsReserved: 1 }])
    // The object takes a change straight over RPC, as if the Worker died before writing the summary.
    const read = await stub.read()
    const line = read.ok ? read.cart.lines[0] : undefined
    if (!line) throw new Error('the cart has no line')
    const { variantId, productId, productName, variantName, options, unitPrice, currency } = line
    const item = { variantId, productId, productName, variantName, options, unitPrice, currency }
    const added = await stub.addLine({ sku, quantity: 2, location: line.location, locationPriority: [line.location], shard: line.shard, ttlSeconds: 900, item })
    expect(added.ok).toBe(true)
    expect((await listed(shop)).data).toMatchObject([{ id: cart.id, unitsReserved: 1 }])
    await runInDurableObject(stub, (_instance, state) => void state.storage.sql.exec('update summary_due set due_at = 0'))
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await listed(shop)).data).toMatchObject([{ id: cart.id, unitsReserved: 3 }])
  })

  it('names the customer of a cart, refuses publishable keys (403) and tampered cursors (400)', async () => {
    const shop = await openShop()
    const customer = await api<{ id: string }>('/v1/customers', { token: shop.owner.accessToken, body: { email: 'luis@example.com', firstName: 'Luis', lastName: 'Pérez' } })
    expect(customer.res.status, JSON.stringify(customer.body)).toBe(201)
    const cart = await api<{ id: string }>('/v1/carts', { apiKey: shop.serverKey, body: { currency: 'EUR', customerId: customer.body.id } })
    expect((await listed(shop)).data).toMatchObject([{ id: cart.body.id, customerId: customer.body.id, customerName: 'Luis Pérez', email: 'luis@example.com' }])
    const pub = await api<ErrorBody>('/v1/carts', { apiKey: shop.publishableKey })
    expect(pub.res.status).toBe(403)
    const tampered = await api<ErrorBody>('/v1/carts?cursor=bm90LWEtY3Vyc29y', { token: shop.owner.accessToken })
    expect(tampered.res.status).toBe(400)
    expect(tampered.body.error.code).toBe('invalid_cursor')
  })

  it("lists only the caller's tenant's carts", async () => {
    const a = await openShop()
    const b = await openShop()
    const { sku } = await stockedVariant(b)
    const bCart = await cartWith(b, [{ sku, quantity: 1 }])
    expect((await listed(b)).data.map((c) => c.id)).toEqual([bCart.id])
    expect((await listed(a)).data).toEqual([])
    const aKey = await api<Page>('/v1/carts', { apiKey: (await createKey(a.owner, ['read'])).key })
    expect(aKey.res.status).toBe(200)
    expect(aKey.body.data).toEqual([])
  })
})
