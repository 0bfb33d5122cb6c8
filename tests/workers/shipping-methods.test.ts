// Shipping methods over HTTP: admin CRUD with validation, storefront reads of active methods only, the checkout
// lookup (getShippingMethod) and charge, who may write, and tenant isolation.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { getShippingMethod, shippingCharge } from '../../workers/commerce/shipping-methods'
import { createDatabase } from '../../workers/db/client'
import { addMember, api, createKey, signUp, type Account } from './helpers'

type Method = { id: string; name: string; price: number; currency: string; freeAbove: number | null; active: boolean }
type ErrorBody = { error: { code: string; details?: { path: string }[] } }
type Page = { data: Method[]; nextCursor: string | null }

async function createMethod(owner: Account, body: Record<string, unknown>): Promise<Method> {
  const { res, body: created } = await api<Method>('/v1/shipping-methods', { token: owner.accessToken, body: { name: 'Standard', price: 500, currency: 'EUR', ...body } })
  if (res.status !== 201) throw new Error(`method not created: ${res.status} ${JSON.stringify(created)}`)
  return created
}

async function publishableKey(owner: Account): Promise<string> {
  const { body } = await api<{ key: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: 'storefront', type: 'publishable' } })
  return body.key
}

describe('shipping methods', () => {
  it('creates, lists, changes and deletes; answers bad input with 400 naming each field', async () => {
    const owner = await signUp()
    const standard = await createMethod(owner, { freeAbove: 5000 })
    expect(standard).toMatchObject({ name: 'Standard', price: 500, currency: 'EUR', freeAbove: 5000, active: true })
    const express = await createMethod(owner, { name: 'Express', price: 1500 })
    expect(express.freeAbove).toBeNull()
    const mxn = await createMethod(owner, { name: 'Envío', price: 9900, currency: 'MXN' })

    const all = await api<Page>('/v1/shipping-methods', { token: owner.accessToken })
    expect(all.body.data.map((m) => m.id)).toEqual([mxn.id, express.id, standard.id])
    expect((await api<Page>('/v1/shipping-methods?currency=MXN', { token: owner.accessToken })).body.data.map((m) => m.id)).toEqual([mxn.id])
    const paged = await api<Page>('/v1/shipping-methods?limit=2', { token: owner.accessToken })
    const rest = await api<Page>(`/v1/shipping-methods?limit=2&cursor=${paged.body.nextCursor}`, { token: owner.accessToken })
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: standard.id })], nextCursor: null })
    expect((await api<ErrorBody>('/v1/shipping-methods?cursor=nope', { token: owner.accessToken })).body.error.code).toBe('invalid_cursor')

    const changed = await api<Method>(`/v1/shipping-methods/${express.id}`, { token: owner.accessToken, method: 'PATCH', body: { price: 1200, freeAbove: 10000, active: false } })
    expect(changed.body).toMatchObject({ price: 1200, freeAbove: 10000, active: false })
    expect((await api<Page>('/v1/shipping-methods?active=false', { token: owner.accessToken })).body.data.map((m) => m.id)).toEqual([express.id])
    expect((await api(`/v1/shipping-methods/${mxn.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(`/v1/shipping-methods/${mxn.id}`, { token: owner.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/shipping-methods/${mxn.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)

    const bad: [Record<string, unknown>, string][] = [
      [{ name: '', price: 1, currency: 'EUR' }, 'name'],
      [{ name: 'x', price: -1, currency: 'EUR' }, 'price'],
      [{ name: 'x', price: 1.5, currency: 'EUR' }, 'price'],
      [{ name: 'x', price: 1, currency: 'eur' }, 'currency'],
      [{ name: 'x', price: 1, currency: 'EUR', freeAbove: -5 }, 'freeAbove'],
      [{ name: 'x', currency: 'EUR' }, 'price'],
      [{ name: 'x', price: 1, currency: 'EUR', active: 'yes' }, 'active'],
    ]
    for (const [body, path] of bad) {
      const { res, body: error } = await api<ErrorBody>('/v1/shipping-methods', { token: owner.accessToken, body })
      expect({ path, status: res.status, paths: error.error.details?.map((d) => d.path) }).toEqual({ path, status: 400, paths: [path] })
    }
    expect((await api(`/v1/shipping-methods/${standard.id}`, { token: owner.accessToken, method: 'PATCH', body: { price: 'free' } })).res.status).toBe(400)
    expect((await api<Page>('/v1/shipping-methods', { token: owner.accessToken })).body.data).toHaveLength(2)
  })

  it('lets admins write, any credential read, and a storefront see active methods only', async () => {
    const owner = await signUp()
    const active = await createMethod(owner, {})
    const inactive = await createMethod(owner, { name: 'Old', active: false })
    const pub = await publishableKey(owner)
    const member = await addMember(owner, 'member')
    const writeKey = await createKey(owner, ['read', 'write'])
    const adminKey = await createKey(owner, ['admin'])
    for (const credential of [{ apiKey: pub }, { token: member.accessToken }, { apiKey: writeKey.key }]) {
      expect((await api('/v1/shipping-methods', { ...credential, body: { name: 'x', price: 1, currency: 'EUR' } })).res.status).toBe(403)
      expect((await api(`/v1/shipping-methods/${active.id}`, { ...credential, method: 'PATCH', body: { price: 1 } })).res.status).toBe(403)
      expect((await api(`/v1/shipping-methods/${active.id}`, { ...credential, method: 'DELETE' })).res.status).toBe(403)
    }
    expect((await api('/v1/shipping-methods', { apiKey: adminKey.key, body: { name: 'Key-made', price: 1, currency: 'EUR' } })).res.status).toBe(201)
    for (const credential of [{ token: member.accessToken }, { apiKey: writeKey.key }]) {
      const { body } = await api<Page>('/v1/shipping-methods', credential)
      expect(body.data.map((m) => m.id)).toContain(inactive.id)
    }
    const storefront = await api<Page>('/v1/shipping-methods?active=false', { apiKey: pub })
    expect(storefront.res.status).toBe(200)
    expect(storefront.body.data.map((m) => m.id)).toEqual(expect.arrayContaining([active.id]))
    expect(storefront.body.data.every((m) => m.active)).toBe(true)
    expect((await api(`/v1/shipping-methods/${active.id}`, { apiKey: pub })).res.status).toBe(200)
    expect((await api(`/v1/shipping-methods/${inactive.id}`, { apiKey: pub })).res.status).toBe(404)
    const foreignOrigin = await api('/v1/shipping-methods', { apiKey: pub, headers: { origin: 'https://elsewhere.example' } })
    expect(foreignOrigin.res.status).toBe(403)
    expect((await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { settings: { storefrontOrigins: ['https://shop.example'] } } })).res.status).toBe(200)
    const preflight = await api('/v1/shipping-methods', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } })
    expect(preflight.res.status).toBe(204)
    const fromShop = await api('/v1/shipping-methods', { apiKey: pub, headers: { origin: 'https://shop.example' } })
    expect(fromShop.res.status).toBe(200)
    expect(fromShop.res.headers.get('access-control-allow-origin')).toBe('https://shop.example')
  })

  it('gives checkout the active method of the tenant only, and charges nothing above freeAbove', async () => {
    const owner = await signUp()
    const other = await signUp()
    const method = await createMethod(owner, { price: 700, freeAbove: 3000 })
    const inactive = await createMethod(owner, { active: false })
    const client = createDatabase({ url: env.DATABASE_URL })
    try {
      expect(await getShippingMethod(client.db, owner.tenant.id, method.id)).toEqual({ id: method.id, name: 'Standard', price: 700, currency: 'EUR', freeAbove: 3000 })
      expect(await getShippingMethod(client.db, owner.tenant.id, inactive.id)).toBeUndefined()
      expect(await getShippingMethod(client.db, other.tenant.id, method.id)).toBeUndefined()
      expect(await getShippingMethod(client.db, owner.tenant.id, 'not-a-uuid')).toBeUndefined()
    } finally {
      await client.close()
    }
    expect([shippingCharge(method, 2999), shippingCharge(method, 3000), shippingCharge({ price: 700, freeAbove: null }, 1_000_000)]).toEqual([700, 0, 700])
  })

  it("keeps tenants apart: another tenant's credentials get 404 on every shipping method route and change nothing", async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['admin'])
    const method = await createMethod(b, { name: 'B only' })
    for (const credential of [{ token: a.accessToken }, { apiKey: aKey.key }, { apiKey: await publishableKey(a) }]) {
      expect((await api(`/v1/shipping-methods/${method.id}`, credential)).res.status).toBe(404)
      expect((await api<Page>('/v1/shipping-methods', credential)).body.data).toEqual([])
    }
    for (const credential of [{ token: a.accessToken }, { apiKey: aKey.key }]) {
      expect((await api(`/v1/shipping-methods/${method.id}`, { ...credential, method: 'PATCH', body: { price: 1 } })).res.status).toBe(404)
      expect((await api(`/v1/shipping-methods/${method.id}`, { ...credential, method: 'DELETE' })).res.status).toBe(404)
    }
    expect((await api<Method>(`/v1/shipping-methods/${method.id}`, { token: b.accessToken })).body).toEqual(method)
  })
})
