// Customers over HTTP: create with addresses, validation, unique emails, search and filters with keyset pages, the
// address book's defaults, anonymisation on delete, who may call, and tenant isolation.
import { env } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { addMember, api, apiRetryingBusy, createKey, signUp, unique, type Account } from './helpers'

type Address = { id: string; kind: string; isDefault: boolean; country: string; line2: string | null; city: string }
type Customer = { id: string; email: string; firstName: string | null; type: string; tags: string[]; marketingConsent: boolean; consentAt: string | null; addresses: Address[]; ordersCount: number }
type ErrorBody = { error: { code: string; details?: { path: string; code?: string }[] } }
type Page = { data: Customer[]; nextCursor: string | null }

const address = (overrides: Record<string, unknown> = {}) => ({ kind: 'shipping', name: 'Ana Ruiz', line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'ES', ...overrides })

async function createCustomer(owner: Account, body: Record<string, unknown>): Promise<Customer> {
  const { res, body: created } = await api<Customer>('/v1/customers', { token: owner.accessToken, body: { email: `${unique('c')}@example.com`, ...body } })
  if (res.status !== 201) throw new Error(`customer not created: ${res.status} ${JSON.stringify(created)}`)
  return created
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    return (await client.db.execute(query)).rows as T[]
  } finally {
    await client.close()
  }
}

describe('customers', () => {
  it('creates with addresses, reads, updates consent and fields, and keeps order statistics read-only', async () => {
    const owner = await signUp()
    const created = await createCustomer(owner, {
      firstName: 'Ana',
      lastName: 'Ruiz',
      type: 'business',
      tags: ['vip'],
      marketingConsent: true,
      addresses: [address(), address({ kind: 'billing', country: 'mx', line2: '  ' }), address({ city: 'Sevilla', isDefault: true })],
    })
    expect(created).toMatchObject({ firstName: 'Ana', type: 'business', tags: ['vip'], marketingConsent: true, ordersCount: 0, totalSpent: 0, lastOrderAt: null })
    expect(created.consentAt).toEqual(expect.any(String))
    expect(created.addresses.map((a) => [a.kind, a.city, a.isDefault, a.country])).toEqual([
      ['shipping', 'Madrid', false, 'ES'],
      ['billing', 'Madrid', true, 'MX'],
      ['shipping', 'Sevilla', true, 'ES'],
    ])
    expect(created.addresses[1]?.line2).toBeNull()

    const patched = await api<Customer>(`/v1/customers/${created.id}`, { token: owner.accessToken, method: 'PATCH', body: { company: 'Ruiz SL', marketingConsent: false, ordersCount: 99 } })
    expect(patched.res.status).toBe(200)
    expect(patched.body).toMatchObject({ company: 'Ruiz SL', marketingConsent: false, consentAt: null, ordersCount: 0 })
    const fetched = await api<Customer>(`/v1/customers/${created.id}`, { token: owner.accessToken })
    expect(fetched.body).toEqual(patched.body)
    const events = await rows<{ type: string }>(sql`select type from events where tenant_id = ${owner.tenant.id} and subject_id = ${created.id}`)
    expect(events).toEqual([{ type: 'customer.created' }])
  })

  it('answers bad input with 400 naming each field, and a taken email (any case) with 409', async () => {
    const owner = await signUp()
    const bad: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'a@example.com', type: 'reseller' }, 'type'],
      [{ email: 'a@example.com', tags: ['x'.repeat(51)] }, 'tags.0'],
      [{ email: 'a@example.com', marketingConsent: 'yes' }, 'marketingConsent'],
      [{ email: 'a@example.com', addresses: [address({ country: 'XX' })] }, 'addresses.0.country'],
      [{ email: 'a@example.com', addresses: [address({ country: 'ESP' })] }, 'addresses.0.country'],
      [{ email: 'a@example.com', addresses: [{ kind: 'shipping', name: 'A', city: 'B', postalCode: '1', country: 'ES' }] }, 'addresses.0.line1'],
      [{ email: 'a@example.com', addresses: [address({ kind: 'home' })] }, 'addresses.0.kind'],
      [{ email: 'a@example.com', addresses: [address({ isDefault: true }), address({ isDefault: true })] }, 'addresses'],
    ]
    for (const [body, path] of bad) {
      const { res, body: error } = await api<ErrorBody>('/v1/customers', { token: owner.accessToken, body })
      expect({ path, status: res.status, code: error.error.code, paths: error.error.details?.map((d) => d.path) }).toEqual({ path, status: 400, code: 'invalid_request', paths: [path] })
    }
    expect((await api<Page>('/v1/customers', { token: owner.accessToken })).body.data).toEqual([])

    const email = `${unique('dup')}@Example.com`
    const first = await createCustomer(owner, { email })
    const again = await api<ErrorBody>('/v1/customers', { token: owner.accessToken, body: { email: email.toLowerCase() } })
    expect(again.res.status).toBe(409)
    expect(again.body.error.code).toBe('customer_email_taken')
    const other = await createCustomer(owner, {})
    const clash = await api<ErrorBody>(`/v1/customers/${other.id}`, { token: owner.accessToken, method: 'PATCH', body: { email: email.toUpperCase() } })
    expect(clash.res.status).toBe(409)
    expect(clash.body.error.code).toBe('customer_email_taken')
    expect((await api(`/v1/customers/${first.id}`, { token: owner.accessToken, method: 'PATCH', body: { email: email.toUpperCase() } })).res.status).toBe(200)
    expect((await api('/v1/customers/not-a-uuid', { token: owner.accessToken })).res.status).toBe(400)
    expect((await api(`/v1/customers/${crypto.randomUUID()}`, { token: owner.accessToken })).res.status).toBe(404)
  })

  it('searches name, email and company, filters by type and tags, and pages by cursor', async () => {
    const owner = await signUp()
    const ana = await createCustomer(owner, { firstName: 'Ana', lastName: 'Ruiz', tags: ['vip', 'madrid'] })
    const bo = await createCustomer(owner, { email: `${unique('bo')}@wholesale.example`, firstName: 'Bo', type: 'wholesale', tags: ['vip'] })
    const cy = await createCustomer(owner, { firstName: 'Cy', company: 'Acme 100% Watches', type: 'business' })
    const list = async (query: string) => {
      const { res, body } = await api<Page>(`/v1/customers${query}`, { token: owner.accessToken })
      expect(res.status).toBe(200)
      return body.data.map((c) => c.id)
    }
    expect(await list('')).toEqual([cy.id, bo.id, ana.id])
    expect(await list('?q=RUIZ')).toEqual([ana.id])
    expect(await list('?q=ana%20ru')).toEqual([ana.id])
    expect(await list('?q=wholesale.example')).toEqual([bo.id])
    expect(await list('?q=100%25')).toEqual([cy.id])
    expect(await list('?q=_')).toEqual([])
    expect(await list('?type=wholesale')).toEqual([bo.id])
    expect(await list('?tag=vip')).toEqual([bo.id, ana.id])
    expect(await list('?tag=vip&tag=madrid')).toEqual([ana.id])
    expect(await list('?tag=vip&type=business')).toEqual([])

    const first = await api<Page>('/v1/customers?limit=2', { token: owner.accessToken })
    expect(first.body.data.map((c) => c.id)).toEqual([cy.id, bo.id])
    const second = await api<Page>(`/v1/customers?limit=2&cursor=${first.body.nextCursor}`, { token: owner.accessToken })
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: ana.id })], nextCursor: null })
    for (const query of ['?cursor=garbage', `?cursor=${btoa('["x","y"]')}`]) {
      const { res, body } = await api<ErrorBody>(`/v1/customers${query}`, { token: owner.accessToken })
      expect({ status: res.status, code: body.error.code }).toEqual({ status: 400, code: 'invalid_cursor' })
    }
    expect((await api('/v1/customers?type=vip', { token: owner.accessToken })).res.status).toBe(400)

    const client = createDatabase({ url: env.DATABASE_URL })
    const plan = await client.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`)
      return (await tx.execute(sql`explain select id from customers where search_text like '%ruiz%'`)).rows
    })
    await client.close()
    expect(JSON.stringify(plan)).toContain('customers_search_trgm_idx')
  })

  it('keeps one default address of each kind through adds, changes and removals', async () => {
    const owner = await signUp()
    const customer = await createCustomer(owner, {})
    const add = async (body: Record<string, unknown>) => {
      const { res, body: added } = await api<Address>(`/v1/customers/${customer.id}/addresses`, { token: owner.accessToken, body: address(body) })
      expect(res.status).toBe(201)
      return added
    }
    const home = await add({ city: 'Madrid' })
    expect(home.isDefault).toBe(true)
    const office = await add({ city: 'Bilbao' })
    expect(office.isDefault).toBe(false)
    const bill = await add({ kind: 'billing', city: 'Vigo' })
    expect(bill.isDefault).toBe(true)
    const defaults = async () => {
      const { body } = await api<Customer>(`/v1/customers/${customer.id}`, { token: owner.accessToken })
      return Object.fromEntries(body.addresses.filter((a) => a.isDefault).map((a) => [a.kind, a.city]))
    }
    const moved = await api<Address>(`/v1/customers/${customer.id}/addresses/${office.id}`, { token: owner.accessToken, method: 'PATCH', body: { isDefault: true, city: 'Bilbo' } })
    expect(moved.body).toMatchObject({ isDefault: true, city: 'Bilbo' })
    expect(await defaults()).toEqual({ shipping: 'Bilbo', billing: 'Vigo' })
    expect((await api(`/v1/customers/${customer.id}/addresses/${office.id}`, { token: owner.accessToken, method: 'PATCH', body: { kind: 'billing' } })).res.status).toBe(200)
    expect(await defaults()).toEqual({ shipping: 'Madrid', billing: 'Vigo' })
    expect((await api(`/v1/customers/${customer.id}/addresses/${bill.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect(await defaults()).toEqual({ shipping: 'Madrid', billing: 'Bilbo' })

    const badCountry = await api<ErrorBody>(`/v1/customers/${customer.id}/addresses/${home.id}`, { token: owner.accessToken, method: 'PATCH', body: { country: 'ZZ' } })
    expect(badCountry.res.status).toBe(400)
    expect(badCountry.body.error.details?.map((d) => d.path)).toEqual(['country'])
    const missing = await api(`/v1/customers/${customer.id}/addresses`, { token: owner.accessToken, body: { kind: 'billing', name: 'x' } })
    expect(missing.res.status).toBe(400)
    const other = await createCustomer(owner, {})
    expect((await api(`/v1/customers/${other.id}/addresses/${home.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)
    expect((await api(`/v1/customers/${other.id}/addresses/${home.id}`, { token: owner.accessToken, method: 'PATCH', body: { city: 'x' } })).res.status).toBe(404)
    expect((await api<Customer>(`/v1/customers/${customer.id}`, { token: owner.accessToken })).body.addresses).toHaveLength(2)
  })

  it('anonymises on delete: the person is gone, the row and its statistics stay, the email is free again', async () => {
    const owner = await signUp()
    const email = `${unique('gone')}@example.com`
    const customer = await createCustomer(owner, { email, firstName: 'Ana', lastName: 'Ruiz', phone: '+34 600', company: 'Ruiz SL', taxId: 'B123', notes: 'likes gold', tags: ['vip'], marketingConsent: true, addresses: [address()] })
    await rows(sql`update customers set orders_count = 2, total_spent = 5000 where id = ${customer.id}`)
    expect((await api(`/v1/customers/${customer.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(`/v1/customers/${customer.id}`, { token: owner.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/customers/${customer.id}`, { token: owner.accessToken, method: 'PATCH', body: { firstName: 'x' } })).res.status).toBe(404)
    expect((await api(`/v1/customers/${customer.id}/addresses`, { token: owner.accessToken, body: address() })).res.status).toBe(404)
    expect((await api(`/v1/customers/${customer.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)
    expect((await api<Page>('/v1/customers', { token: owner.accessToken })).body.data).toEqual([])
    const [row] = await rows<Record<string, unknown>>(sql`select * from customers where id = ${customer.id}`)
    expect(row).toMatchObject({
      email: `deleted-${customer.id}@invalid`,
      first_name: null,
      last_name: null,
      phone: null,
      company: null,
      tax_id: null,
      notes: null,
      tags: [],
      marketing_consent: false,
      consent_at: null,
      orders_count: 2,
      deleted_at: expect.any(String),
    })
    expect(await rows(sql`select id from customer_addresses where customer_id = ${customer.id}`)).toEqual([])
    const events = await rows<{ data: Record<string, unknown> }>(sql`select data from events where subject_id = ${customer.id}`)
    expect(JSON.stringify(events)).not.toContain(email)
    expect((await createCustomer(owner, { email })).email).toBe(email)
  })

  it('settles races: one of concurrent creates with one email wins (the rest 409), concurrent default addresses leave one default', async () => {
    const owner = await signUp()
    const email = `${unique('race')}@example.com`
    const creates = await Promise.all(
      Array.from({ length: 6 }, (_, i) => apiRetryingBusy<ErrorBody>('/v1/customers', { token: owner.accessToken, body: { email: i % 2 ? email : email.toUpperCase() } })),
    )
    expect(creates.map((r) => r.res.status).sort()).toEqual([201, 409, 409, 409, 409, 409])
    const customer = (await api<Page>('/v1/customers', { token: owner.accessToken })).body.data[0]
    const adds = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        apiRetryingBusy(`/v1/customers/${customer?.id}/addresses`, { token: owner.accessToken, body: address({ city: `City ${i}`, isDefault: true }) }),
      ),
    )
    expect(adds.map((r) => r.res.status)).toEqual([201, 201, 201, 201, 201, 201])
    const { body } = await api<Customer>(`/v1/customers/${customer?.id}`, { token: owner.accessToken })
    expect(body.addresses).toHaveLength(6)
    expect(body.addresses.filter((a) => a.isDefault)).toHaveLength(1)
  })

  it('refuses publishable keys and credentials without the scope (403), and lets readers read', async () => {
    const owner = await signUp()
    const customer = await createCustomer(owner, {})
    const pub = await api<{ key: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: 'storefront', type: 'publishable' } })
    const readKey = await createKey(owner, ['read'])
    const viewer = await addMember(owner, 'viewer')
    const writes = [
      { method: 'POST', path: '/v1/customers', body: { email: 'x@example.com' } },
      { method: 'PATCH', path: `/v1/customers/${customer.id}`, body: { firstName: 'x' } },
      { method: 'DELETE', path: `/v1/customers/${customer.id}` },
      { method: 'POST', path: `/v1/customers/${customer.id}/addresses`, body: address() },
    ]
    for (const credential of [{ apiKey: pub.body.key }, { apiKey: readKey.key }, { token: viewer.accessToken }]) {
      for (const w of writes) expect((await api(w.path, { method: w.method, body: w.body, ...credential })).res.status).toBe(403)
    }
    for (const path of ['/v1/customers', `/v1/customers/${customer.id}`]) {
      expect((await api(path, { apiKey: pub.body.key })).res.status).toBe(403)
      expect((await api(path, { apiKey: readKey.key })).res.status).toBe(200)
      expect((await api(path, { token: viewer.accessToken })).res.status).toBe(200)
    }
  })

  it("keeps tenants apart: another tenant's credentials get 404 on every customer route and change nothing", async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['read', 'write'])
    const customer = await createCustomer(b, { firstName: 'Bea', addresses: [address()] })
    const addressId = customer.addresses[0]?.id
    const attempts: { method: string; path: string; body?: unknown }[] = [
      { method: 'GET', path: `/v1/customers/${customer.id}` },
      { method: 'PATCH', path: `/v1/customers/${customer.id}`, body: { firstName: 'x' } },
      { method: 'DELETE', path: `/v1/customers/${customer.id}` },
      { method: 'POST', path: `/v1/customers/${customer.id}/addresses`, body: address() },
      { method: 'PATCH', path: `/v1/customers/${customer.id}/addresses/${addressId}`, body: { city: 'x' } },
      { method: 'DELETE', path: `/v1/customers/${customer.id}/addresses/${addressId}` },
    ]
    for (const credential of [{ token: a.accessToken }, { apiKey: aKey.key }]) {
      for (const attempt of attempts) {
        const { res } = await api(attempt.path, { method: attempt.method, ...credential, ...(attempt.body ? { body: attempt.body } : {}) })
        expect({ route: `${attempt.method} ${attempt.path}`, status: res.status }).toEqual({ route: `${attempt.method} ${attempt.path}`, status: 404 })
      }
      const listed = await api<Page>(`/v1/customers?q=bea`, credential)
      expect(listed.body.data).toEqual([])
    }
    const same = await api(`/v1/customers`, { token: a.accessToken, body: { email: customer.email } })
    expect(same.res.status).toBe(201)
    const still = await api<Customer>(`/v1/customers/${customer.id}`, { token: b.accessToken })
    expect(still.body).toEqual(customer)
  })
})
