// The cross-tenant matrix: tenant A's credentials on tenant B's resources answer 404 (no existence leak), lists only
// ever show A's rows, every protected route refuses a request without a credential, and every OpenAPI operation has a row in tenant-coverage.ts.
import { describe, expect, it } from 'vitest'
import { createApp } from '../../workers/app'
import { csv, importAndWait } from './bulk-helpers'
import { addMember, api, createKey, invite, signUp, unique } from './helpers'
import { TENANT_COVERAGE } from './tenant-coverage'

/** Routes anyone may call. */
const PUBLIC_ROUTES = new Set([
  'GET /v1/health',
  'POST /v1/auth/register',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  // Someone new accepts with a password; the signed-in case is in security-invitations.test.ts.
  'POST /v1/invitations/:token/accept',
  'GET /openapi.json',
  'GET /docs',
  // Images of active products are public; the credential check for the others is in images.test.ts.
  'GET /v1/media/t/:tenantId/images/:imageId/:file',
  // Stripe's webhooks carry no credential: a signature on the body (stripe-*.test.ts refuses bad ones with 400).
  'POST /v1/webhooks/stripe',
  'POST /v1/webhooks/stripe-connect',
])

describe('tenant isolation', () => {
  it("answers 404 for B's resources with A's credentials", async () => {
    const a = await signUp()
    const b = await signUp()
    const bKey = await createKey(b, ['read'])
    const bMember = await addMember(b, 'member')
    const bInvitation = await invite(b, `${unique('pending')}@example.com`, 'viewer')

    const attempts: { method: string; path: string; body?: unknown }[] = [
      { method: 'DELETE', path: `/v1/api-keys/${bKey.id}` },
      { method: 'DELETE', path: `/v1/members/invitations/${bInvitation.id}` },
      { method: 'PATCH', path: `/v1/members/${bMember.user.id}`, body: { role: 'viewer' } },
      { method: 'DELETE', path: `/v1/members/${bMember.user.id}` },
      { method: 'PATCH', path: `/v1/members/${b.user.id}`, body: { role: 'viewer' } },
    ]
    for (const attempt of attempts) {
      const { res, body } = await api(attempt.path, { method: attempt.method, token: a.accessToken, ...(attempt.body ? { body: attempt.body } : {}) })
      expect({ route: `${attempt.method} ${attempt.path}`, status: res.status, code: (body as { error?: { code: string } }).error?.code }).toEqual({
        route: `${attempt.method} ${attempt.path}`,
        status: 404,
        code: 'not_found',
      })
    }
    expect((await api('/v1/tenant', { apiKey: bKey.key })).res.status).toBe(200)
    const stillMember = await api<{ data: { user: { id: string } }[] }>('/v1/members', { token: b.accessToken })
    expect(stillMember.body.data.map((m) => m.user.id)).toContain(bMember.user.id)
    const stillPending = await api<{ data: { id: string }[] }>('/v1/members/invitations', { token: b.accessToken })
    expect(stillPending.body.data.map((i) => i.id)).toContain(bInvitation.id)
  })

  it("answers 404 for B's stock with A's credentials and changes nothing", async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['read', 'write'])
    const stock = (owner: typeof b, path: string, body: unknown) => api(path, { token: owner.accessToken, body, headers: { 'idempotency-key': crypto.randomUUID() } })
    await stock(b, '/v1/inventory/skus', { skus: [{ sku: 'B-ONLY', lowStockThreshold: 5 }] })
    await stock(b, '/v1/inventory/adjust', { lines: [{ sku: 'B-ONLY', delta: 10 }] })
    await stock(b, '/v1/inventory/reduce', { lines: [{ sku: 'B-ONLY', quantity: 7 }] })
    const reserved = await stock(b, '/v1/inventory/reservations', { ttlSeconds: 60, lines: [{ sku: 'B-ONLY', quantity: 1 }] })
    const reservationId = (reserved.body as { reservation: { id: string } }).reservation.id
    const alerts = await api<{ data: { id: string }[] }>('/v1/inventory/alerts', { token: b.accessToken })
    expect(alerts.body.data).toHaveLength(1)
    const alertId = alerts.body.data[0]?.id

    const attempts: { method: string; path: string; body?: unknown }[] = [
      { method: 'GET', path: '/v1/inventory?sku=B-ONLY' },
      { method: 'GET', path: '/v1/inventory/B-ONLY/ledger' },
      { method: 'PATCH', path: '/v1/inventory/B-ONLY', body: { lowStockThreshold: 1 } },
      { method: 'GET', path: '/api/external/inventory/check-stock?sku=B-ONLY' },
      { method: 'POST', path: `/v1/inventory/alerts/${alertId}/acknowledge` },
      { method: 'POST', path: `/v1/inventory/alerts/${alertId}/resolve` },
      { method: 'POST', path: `/v1/inventory/reservations/${reservationId}/commit` },
      { method: 'POST', path: `/v1/inventory/reservations/${reservationId}/release` },
    ]
    for (const attempt of attempts) {
      const headers = { 'idempotency-key': crypto.randomUUID() }
      const { res } = await api(attempt.path, { method: attempt.method, apiKey: aKey.key, headers, ...(attempt.body ? { body: attempt.body } : {}) })
      expect({ route: `${attempt.method} ${attempt.path}`, status: res.status }).toEqual({ route: `${attempt.method} ${attempt.path}`, status: 404 })
    }
    const sale = await api('/v1/inventory/reduce', { apiKey: aKey.key, body: { lines: [{ sku: 'B-ONLY', quantity: 1 }] }, headers: { 'idempotency-key': 'x' } })
    expect(sale.res.status).toBe(400)
    const level = await api<{ data: { onHand: number; reserved: number; lowStockThreshold: number }[] }>('/v1/inventory?sku=B-ONLY', { token: b.accessToken })
    expect(level.body.data).toEqual([expect.objectContaining({ onHand: 3, reserved: 1, lowStockThreshold: 5 })])
    expect((await api<{ data: { status: string }[] }>('/v1/inventory/alerts', { token: b.accessToken })).body.data).toEqual([expect.objectContaining({ status: 'open' })])
  })

  it("never lists B's rows to A", async () => {
    const a = await signUp()
    const b = await signUp()
    await createKey(b, ['read'])
    await invite(b, `${unique('b-invitee')}@example.com`, 'member')
    const aKey = await createKey(a, ['admin'])
    const checks = [
      { path: '/v1/members/invitations', rows: (body: { data: unknown[] }) => body.data },
      { path: '/v1/api-keys', rows: (body: { data: unknown[] }) => body.data },
      { path: '/v1/audit-log', rows: (body: { data: unknown[] }) => body.data },
      { path: '/v1/members', rows: (body: { data: unknown[] }) => body.data },
    ]
    for (const check of checks) {
      const { body } = await api<{ data: unknown[] }>(check.path, { token: a.accessToken })
      expect(JSON.stringify(check.rows(body))).not.toContain(b.tenant.id)
      expect(JSON.stringify(check.rows(body))).not.toContain(b.user.id)
    }
    await api('/v1/inventory/skus', { token: b.accessToken, body: { skus: [{ sku: 'B-LISTED', lowStockThreshold: 1 }] }, headers: { 'idempotency-key': 'b-1' } })
    for (const path of ['/v1/inventory', '/v1/inventory/alerts']) {
      const { res, body } = await api<{ data: unknown[] }>(path, { apiKey: aKey.key })
      expect({ path, status: res.status, data: body.data }).toEqual({ path, status: 200, data: [] })
    }
    const tenant = await api<{ id: string }>('/v1/tenant', { apiKey: aKey.key })
    expect(tenant.body.id).toBe(a.tenant.id)
  })

  it("answers 404 for B's imports, similar products and stock checks, and scopes the rest to A", async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['read', 'write'])
    const sku = unique('B-SKU').toUpperCase()
    const imported = await importAndWait(b, csv(['sku', 'product_name', 'price', 'currency'], [[sku, 'B secret watch', 100, 'USD']]))
    const bProduct = (await api<{ data: { id: string }[] }>('/v1/products', { token: b.accessToken })).body.data[0]
    const stock = (path: string, body: unknown, credential: { token?: string; apiKey?: string }) =>
      api(path, { ...credential, body, headers: { 'idempotency-key': crypto.randomUUID() } })
    await stock('/v1/inventory/skus', { skus: [{ sku }] }, { token: b.accessToken })
    await stock('/v1/inventory/adjust', { lines: [{ sku, delta: 7 }] }, { token: b.accessToken })

    for (const path of [`/v1/products/imports/${imported.id}`, `/v1/products/${bProduct?.id}/similar`]) {
      expect({ path, status: (await api(path, { apiKey: aKey.key })).res.status }).toEqual({ path, status: 404 })
    }
    for (const [path, body] of [
      ['/v1/inventory/bulk-check', { skus: [sku] }],
      ['/api/external/inventory/bulk-check-stock', { skus: [sku] }],
      ['/v1/inventory/transfer', { sku, from: 'default', to: 'elsewhere', quantity: 1 }],
      ['/v1/inventory/reservations', { ttlSeconds: 60, lines: [{ sku, quantity: 1 }] }],
      ['/v1/inventory/set', { lines: [{ sku, onHand: 1 }] }],
    ] as const) {
      const { res, body: answer } = await stock(path, body, { apiKey: aKey.key })
      expect({ path, ok: res.status < 500, leaks: JSON.stringify(answer).includes(':7') }).toEqual({ path, ok: true, leaks: false })
    }
    await stock('/v1/inventory/skus', { skus: [{ sku }] }, { apiKey: aKey.key })
    const aImport = await importAndWait(a, csv(['sku', 'product_name', 'price', 'currency'], [[sku, 'A watch', 5, 'USD']]))
    expect(aImport.counts.created).toBe(1)
    const [category, attribute, key, member, renamed] = await Promise.all([
      api<{ id: string }>('/v1/categories', { token: a.accessToken, body: { name: unique('A category') } }),
      api<{ id: string }>('/v1/attributes', { token: a.accessToken, body: { key: 'a_only', label: 'A only', type: 'text' } }),
      api<{ id: string }>('/v1/api-keys', { token: a.accessToken, body: { name: 'A key', scopes: ['read'] } }),
      api<{ id: string }>('/v1/members/invitations', { token: a.accessToken, body: { email: `${unique('a-member')}@example.com`, role: 'viewer' } }),
      api('/v1/tenant', { method: 'PATCH', token: a.accessToken, body: { name: 'A renamed', settings: { a: 1 } } }),
    ])
    const created = [category, attribute, key, member, renamed]
    expect(created.map((r) => r.res.status)).toEqual([201, 201, 201, 201, 200])

    const bLevel = await api<{ data: { onHand: number; reserved: number }[] }>(`/v1/inventory?sku=${sku}`, { token: b.accessToken })
    expect(bLevel.body.data).toEqual([expect.objectContaining({ onHand: 7, reserved: 0 })])
    expect((await api<{ name: string }>(`/v1/products/${bProduct?.id}`, { token: b.accessToken })).body.name).toBe('B secret watch')
    const bTenant = await api<{ name: string; settings: Record<string, unknown> }>('/v1/tenant', { token: b.accessToken })
    expect(bTenant.body.settings).toEqual({})
    for (const path of ['/v1/categories', '/v1/attributes', '/v1/api-keys', '/v1/members', '/v1/members/invitations', '/v1/usage']) {
      const { body } = await api(path, { token: b.accessToken })
      const text = JSON.stringify(body)
      const aIds = [category.body.id, attribute.body.id, key.body.id, member.body.id, a.tenant.id]
      expect({ path, leaks: aIds.filter((id) => text.includes(id)) }).toEqual({ path, leaks: [] })
    }
  }, 60_000)

  it('has a cross-tenant case (or a reason it needs none) for every operation of the OpenAPI document', async () => {
    const spec = await api<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json')
    const operations = Object.entries(spec.body.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    expect(operations.length).toBeGreaterThan(50)
    expect(operations.filter((operation) => !(operation in TENANT_COVERAGE))).toEqual([])
    expect(Object.keys(TENANT_COVERAGE).filter((operation) => !operations.includes(operation))).toEqual([])
  })

  it('refuses every protected route without a credential', async () => {
    const protectedRoutes = createApp()
      .routes.filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`)
      .filter((route) => !PUBLIC_ROUTES.has(route))
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(10)
    for (const route of protectedRoutes) {
      const [method = 'GET', path = '/'] = route.split(' ')
      const concrete = path.replaceAll(/:(\w+)/g, '00000000-0000-4000-8000-000000000000')
      const { res } = await api(concrete, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) })
      expect({ route, status: res.status }).toEqual({ route, status: 401 })
    }
  })
})
