// Issue 13, finding 8: a tampered but well-formed cursor (base64 of `["garbage","x"]`) answered 500 on paginated lists.
// Every paginated route (found in the OpenAPI document) must answer 400 invalid_cursor, and a real cursor still works.
import { describe, expect, it } from 'vitest'
import { api, signUp, unique } from './helpers'
import { receiverUrl } from './webhook-helpers'

/** Encodes any JSON the way the API encodes its cursors (UTF-8 JSON, base64url). */
function forge(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value))
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

const UUID = '00000000-0000-4000-8000-000000000000'

/** The cursor of the report; the levels list takes any (sku, location) pair as a position in SKU order, so not there. */
const REPORTED = [forge(['garbage', 'x']), forge(['2026-01-01 10:00:00+00', "x' or 1=1"])]

/** Cursors no paginated route made. */
const TAMPERED = [
  forge([1, 2]),
  forge([1.5]),
  forge({ a: 1 }),
  forge([Number.MAX_SAFE_INTEGER * 4]),
  'not base64 at all!',
  btoa('{"unterminated'),
]

/** Cursors of the right shape whose values the sort key's type refuses, per kind of sort key. */
const BY_KEY_TYPE: Record<string, string[]> = {
  timestamp: [forge(['2026-02-31 10:00:00+00', UUID]), forge(['yesterday', UUID])],
  text: [forge(['a\u0000b', UUID])],
  int: [forge(['99999999999', UUID]), forge(['12abc', UUID])],
  float: [forge(['NaN', UUID]), forge(['1e999', UUID])],
}

describe('tampered cursors', () => {
  it('answer 400 invalid_cursor on every paginated route', async () => {
    const owner = await signUp()
    const sku = unique('CUR').toUpperCase()
    await api('/v1/inventory/skus', { token: owner.accessToken, body: { skus: [{ sku, lowStockThreshold: 1 }] }, headers: { 'idempotency-key': crypto.randomUUID() } })
    await api('/v1/products', { token: owner.accessToken, body: { name: unique('Cursor product') } })
    const endpoint = await api<{ id: string }>('/v1/webhooks/endpoints', { token: owner.accessToken, body: { url: receiverUrl, eventTypes: ['*'] } })
    expect(endpoint.res.status).toBe(201)
    const endpointId = endpoint.body.id

    const paginated: [path: string, keyType?: string][] = [
      ['/v1/api-keys', 'timestamp'],
      ['/v1/audit-log', 'timestamp'],
      ['/v1/products', 'timestamp'],
      ['/v1/products?sort=oldest', 'timestamp'],
      ['/v1/products?sort=name', 'text'],
      ['/v1/products?sort=-name', 'text'],
      ['/v1/products?sort=price', 'int'],
      ['/v1/products?sort=-price', 'int'],
      ['/v1/products?q=cursor', 'float'],
      ['/v1/inventory', 'position'],
      [`/v1/inventory/${sku}/ledger`],
      ['/v1/inventory/alerts'],
      ['/v1/members/invitations', 'timestamp'],
      ['/v1/orders', 'timestamp'],
      ['/v1/customers', 'timestamp'],
      ['/v1/customers?q=ana&tag=vip', 'timestamp'],
      ['/v1/shipping-methods', 'timestamp'],
      ['/v1/carts', 'timestamp'],
      ['/v1/webhooks/endpoints', 'timestamp'],
      [`/v1/webhooks/endpoints/${endpointId}/messages`, 'timestamp'],
      ['/v1/chats', 'timestamp'],
      ['/v1/notifications', 'timestamp'],
    ]
    const spec = await api<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>> }>('/openapi.json')
    const withCursor = Object.entries(spec.body.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, declares400: '400' in op.responses })),
    )
    const covered = new Set(paginated.map(([path]) => `GET ${path.split('?')[0]?.replace(sku, '{sku}').replace(endpointId, '{id}')}`))
    expect(withCursor.map((r) => r.route).filter((route) => !covered.has(route))).toEqual([])
    expect(withCursor.filter((r) => !r.declares400)).toEqual([])

    for (const [path, keyType] of paginated) {
      const specific = keyType === 'position' ? [forge(['A', 2])] : [...REPORTED, ...(keyType ? (BY_KEY_TYPE[keyType] ?? []) : [])]
      for (const cursor of [...TAMPERED, ...specific]) {
        const separator = path.includes('?') ? '&' : '?'
        const { res, body } = await api<{ error?: { code: string } }>(`${path}${separator}cursor=${encodeURIComponent(cursor)}`, { token: owner.accessToken })
        expect({ path, cursor, status: res.status, code: body.error?.code }).toEqual({ path, cursor, status: 400, code: 'invalid_cursor' })
      }
    }
  })

  it('still pages with the cursors the API hands out, including non-Latin sort values', async () => {
    const owner = await signUp()
    for (const name of ['Ωmega 商品', 'Éclair', 'Zeta']) await api('/v1/products', { token: owner.accessToken, body: { name } })
    for (const sort of ['newest', 'name', '-price']) {
      const first = await api<{ data: { name: string }[]; nextCursor: string | null }>(`/v1/products?limit=2&sort=${sort}`, { token: owner.accessToken })
      expect(first.res.status).toBe(200)
      expect(first.body.nextCursor).not.toBeNull()
      const second = await api<{ data: { name: string }[]; nextCursor: string | null }>(
        `/v1/products?limit=2&sort=${sort}&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
        { token: owner.accessToken },
      )
      expect({ sort, status: second.res.status, count: second.body.data.length, next: second.body.nextCursor }).toEqual({ sort, status: 200, count: 1, next: null })
    }
  })
})
