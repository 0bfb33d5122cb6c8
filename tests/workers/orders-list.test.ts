// The order list (filters, `q` on number, email and name, keyset pages, tampered cursors), the streamed CSV export,
// and tenant isolation of every order route.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, BASE, createKey, signUp } from './helpers'
import { levelOf, openShop, stockedVariant, type Shop } from './commerce-helpers'
import { act, ADDRESS, cartWith, checkout, orderOf, readOrder, type ErrorBody, type Order } from './order-helpers'

type Page = { data: Order[]; nextCursor: string | null }

const exportCsv = (shop: Shop, query: string) => SELF.fetch(`${BASE}/v1/orders/export${query}`, { headers: { authorization: `Bearer ${shop.owner.accessToken}` } })
const list = (shop: Shop, query: string) => api<Page & ErrorBody>(`/v1/orders${query}`, { token: shop.owner.accessToken })

describe('order list', () => {
  it('filters by statuses, customer, time and q (number, email, name), newest first in keyset pages', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 20 } })
    const first = (await checkout(shop, (await cartWith(shop, [{ sku, quantity: 1 }])).id, { email: 'maria@shop.example', shippingAddress: { ...ADDRESS, name: 'María Pérez' } })).body
    const second = await orderOf(shop, sku, 1)
    const third = await orderOf(shop, sku, 2)
    await act(shop, second.id, 'payments', { method: 'cash', amount: 1000 })
    await act(shop, third.id, 'cancel')
    const all = await list(shop, '?limit=2')
    expect(all.res.status).toBe(200)
    expect(all.body.data.map((o) => o.number)).toEqual([1003, 1002])
    const next = await list(shop, `?limit=2&cursor=${all.body.nextCursor ?? ''}`)
    expect(next.body.data.map((o) => o.number)).toEqual([1001])
    expect(next.body.nextCursor).toBeNull()
    expect((await list(shop, '?paymentStatus=paid')).body.data.map((o) => o.id)).toEqual([second.id])
    expect((await list(shop, '?status=cancelled')).body.data.map((o) => o.id)).toEqual([third.id])
    expect((await list(shop, '?fulfillmentStatus=unfulfilled')).body.data).toHaveLength(3)
    expect((await list(shop, `?customerId=${first.customerId ?? ''}`)).body.data.map((o) => o.id)).toEqual([first.id])
    for (const q of ['1001', '%231001', 'MARIA@shop', 'maría pé']) expect((await list(shop, `?q=${q}`)).body.data.map((o) => o.id), q).toEqual([first.id])
    expect((await list(shop, '?q=100%25')).body.data).toEqual([])
    const future = new Date(Date.now() + 60_000).toISOString()
    expect((await list(shop, `?createdFrom=${encodeURIComponent(future)}`)).body.data).toEqual([])
    expect((await list(shop, `?createdTo=${encodeURIComponent(future)}`)).body.data).toHaveLength(3)
  })

  it('answers 400 invalid_cursor for a tampered cursor and 400 for bad filters', async () => {
    const shop = await openShop()
    for (const cursor of ['garbage', btoa('["x","y"]'), btoa('["2026-01-01 00:00:00+00","not-a-uuid"]')]) {
      const res = await list(shop, `?cursor=${encodeURIComponent(cursor)}`)
      expect([res.res.status, res.body.error.code], cursor).toEqual([400, 'invalid_cursor'])
    }
    for (const query of ['?status=shipped', '?paymentStatus=x', '?customerId=nope', '?createdFrom=yesterday', '?limit=0', '?limit=1000']) {
      expect((await list(shop, query)).res.status, query).toBe(400)
    }
  })

  it('streams the filtered orders as CSV with guarded cells', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000 })
    const evil = (await checkout(shop, (await cartWith(shop, [{ sku, quantity: 1 }])).id, { email: 'e@example.com', shippingAddress: { ...ADDRESS, name: '=HYPERLINK("x")' } })).body
    await orderOf(shop, sku, 2)
    const raw = await exportCsv(shop, '?fulfillmentStatus=unfulfilled')
    expect(raw.status).toBe(200)
    expect(raw.headers.get('content-type')).toContain('text/csv')
    const lines = (await raw.text()).trim().split('\r\n')
    expect(lines[0]).toBe('number,id,created_at,status,payment_status,fulfillment_status,channel,email,customer_name,currency,subtotal,shipping,tax,total,paid,refunded')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toContain(evil.id)
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`)
  })
})

describe('tenant isolation', () => {
  it("keeps tenants apart: another tenant's credentials get 404 on every order route and change nothing", async () => {
    const shop = await openShop()
    const other = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 5 } })
    const cart = await cartWith(shop, [{ sku, quantity: 1 }])
    const order = await orderOf(shop, sku, 1)
    const lineId = order.lines[0]?.id ?? ''
    const otherKey = await createKey(other.owner, ['read', 'write'])
    for (const credential of [{ apiKey: otherKey.key }, { token: other.owner.accessToken }]) {
      const headers = { 'idempotency-key': crypto.randomUUID() }
      expect((await api(`/v1/carts/${cart.id}/checkout`, { ...credential, headers, body: { email: 'x@example.com', shippingAddress: ADDRESS } })).res.status).toBe(404)
      expect((await api(`/v1/orders/${order.id}`, credential)).res.status).toBe(404)
      expect((await api(`/v1/orders/${order.id}/payments`, { ...credential, body: { method: 'cash', amount: 1000 } })).res.status).toBe(404)
      expect((await api(`/v1/orders/${order.id}/cancel`, { ...credential, body: {} })).res.status).toBe(404)
      expect((await api(`/v1/orders/${order.id}/refunds`, { ...credential, body: { amount: 1, restock: false } })).res.status).toBe(404)
      expect((await api(`/v1/orders/${order.id}/fulfillments`, { ...credential, body: { lines: [{ lineId, quantity: 1 }] } })).res.status).toBe(404)
      const sale = await api<ErrorBody>('/v1/orders', { ...credential, headers, body: { lines: [{ sku, quantity: 1 }], payment: { method: 'cash' } } })
      expect([sale.res.status, sale.body.error.code]).toEqual([400, 'unknown_sku'])
    }
    const otherList = await list(other, '')
    expect(otherList.body.data).toEqual([])
    const exported = await exportCsv(other, '')
    expect((await exported.text()).trim().split('\r\n')).toHaveLength(1)
    expect(await readOrder(shop, order.id)).toMatchObject({ status: 'open', paymentStatus: 'pending', paidAmount: 0 })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 5, reserved: 2 })
    expect((await api(`/v1/orders/${order.id}`, { token: (await signUp()).accessToken })).res.status).toBe(404)
  })
})
