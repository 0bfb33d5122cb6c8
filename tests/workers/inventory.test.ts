// Inventory over HTTP on one shard: no oversell under 1,000 concurrent sales, exactly-once retries, strict input,
// scopes, ledger, levels list, reservations, alerts and the seed's external API.
import { describe, expect, it } from 'vitest'
import { api, createKey, signUp, unique, type Account } from './helpers'

type Level = { sku: string; location: string; onHand: number; reserved: number; available: number }
type LedgerEntry = { delta: number; reservedDelta: number; actor: string; idempotencyKey: string | null }
type ErrorBody = { error: { code: string; details?: unknown } }

/** Calls a stock mutation with a fresh (or the given) Idempotency-Key. */
function mutate<T = Record<string, unknown>>(path: string, credential: { token?: string; apiKey?: string }, body: unknown, key: string = crypto.randomUUID(), method = 'POST') {
  return api<T>(path, { ...credential, method, body, headers: { 'idempotency-key': key } })
}

async function stockedSku(owner: Account, onHand: number, settings: Record<string, unknown> = {}): Promise<string> {
  const sku = unique('SKU')
  expect((await mutate('/v1/inventory/skus', { token: owner.accessToken }, { skus: [{ sku, ...settings }] })).res.status).toBe(200)
  if (onHand > 0) expect((await mutate('/v1/inventory/adjust', { token: owner.accessToken }, { lines: [{ sku, delta: onHand }] })).res.status).toBe(200)
  return sku
}

async function levelOf(owner: Account, sku: string): Promise<Level | undefined> {
  const { body } = await api<{ data: Level[] }>(`/v1/inventory?sku=${encodeURIComponent(sku)}`, { token: owner.accessToken })
  return body.data.find((level) => level.location === 'main')
}

async function ledgerOf(owner: Account, sku: string): Promise<LedgerEntry[]> {
  const { res, body } = await api<{ data: LedgerEntry[]; nextCursor: string | null }>(`/v1/inventory/${encodeURIComponent(sku)}/ledger?limit=200`, { token: owner.accessToken })
  expect(res.status).toBe(200)
  return body.data
}

describe('inventory over HTTP', () => {
  it('sells exactly the stock there is to 1,000 concurrent reduces, and the ledger adds up', { timeout: 60_000 }, async () => {
    const owner = await signUp()
    const sku = await stockedSku(owner, 100)
    const answers = await Promise.all(
      Array.from({ length: 1_000 }, () => mutate<ErrorBody>('/v1/inventory/reduce', { token: owner.accessToken }, { lines: [{ sku, quantity: 1 }] })),
    )
    const sold = answers.filter((a) => a.res.status === 200)
    const refused = answers.filter((a) => a.res.status === 409)
    expect(sold).toHaveLength(100)
    expect(refused).toHaveLength(900)
    expect(refused.every((a) => a.body.error.code === 'insufficient_stock')).toBe(true)
    expect(await levelOf(owner, sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 })

    const ledger = await ledgerOf(owner, sku)
    const sales = ledger.filter((entry) => entry.delta < 0)
    expect(sales).toHaveLength(100)
    expect(ledger.reduce((sum, entry) => sum + entry.delta, 0)).toBe(0)
    expect(new Set(sales.map((entry) => entry.idempotencyKey)).size).toBe(100)
    expect(sales.every((entry) => entry.actor === `user:${owner.user.id}`)).toBe(true)
  })

  it('replays a retry with the same Idempotency-Key and refuses the key for another request', async () => {
    const owner = await signUp()
    const { key: writeKey, id: keyId } = await createKey(owner, ['read', 'write'])
    const sku = await stockedSku(owner, 10)
    const idempotencyKey = 'order-1042 payment'
    const first = await mutate<{ levels: Level[]; replayed: boolean }>('/v1/inventory/reduce', { apiKey: writeKey }, { lines: [{ sku, quantity: 3 }] }, idempotencyKey)
    const retry = await mutate<{ levels: Level[]; replayed: boolean }>('/v1/inventory/reduce', { apiKey: writeKey }, { lines: [{ sku, quantity: 3 }] }, idempotencyKey)
    expect(first.res.status).toBe(200)
    expect(first.body).toMatchObject({ replayed: false, levels: [{ sku, onHand: 7, available: 7 }] })
    expect(retry.res.status).toBe(200)
    expect(retry.body).toMatchObject({ replayed: true, levels: [{ sku, onHand: 7 }] })
    const other = await mutate<ErrorBody>('/v1/inventory/reduce', { apiKey: writeKey }, { lines: [{ sku, quantity: 4 }] }, idempotencyKey)
    expect(other.res.status).toBe(409)
    expect(other.body.error.code).toBe('idempotency_conflict')
    expect(await levelOf(owner, sku)).toMatchObject({ onHand: 7 })
    expect((await ledgerOf(owner, sku)).filter((entry) => entry.delta === -3)).toEqual([expect.objectContaining({ actor: `key:${keyId}`, idempotencyKey })])
  })

  it('answers bad input with 400 and changes nothing', async () => {
    const owner = await signUp()
    const sku = await stockedSku(owner, 5)
    const caller = { token: owner.accessToken }
    const invalid: [string, string, unknown][] = [
      ['negative', '/v1/inventory/reduce', { lines: [{ sku, quantity: -1 }] }],
      ['zero', '/v1/inventory/reduce', { lines: [{ sku, quantity: 0 }] }],
      ['fractional', '/v1/inventory/reduce', { lines: [{ sku, quantity: 1.5 }] }],
      ['huge', '/v1/inventory/reduce', { lines: [{ sku, quantity: 1_000_000_001 }] }],
      ['string quantity', '/v1/inventory/reduce', { lines: [{ sku, quantity: '1' }] }],
      ['numeric sku', '/v1/inventory/reduce', { lines: [{ sku: 42, quantity: 1 }] }],
      ['long sku', '/v1/inventory/reduce', { lines: [{ sku: 'S'.repeat(65), quantity: 1 }] }],
      ['bad location', '/v1/inventory/reduce', { lines: [{ sku, location: 'shelf 2', quantity: 1 }] }],
      ['unknown field', '/v1/inventory/reduce', { lines: [{ sku, quantity: 1 }], extra: true }],
      ['no lines', '/v1/inventory/reduce', { lines: [] }],
      ['501 lines', '/v1/inventory/reduce', { lines: Array.from({ length: 501 }, () => ({ sku, quantity: 1 })) }],
      ['zero delta', '/v1/inventory/adjust', { lines: [{ sku, delta: 0 }] }],
      ['huge delta', '/v1/inventory/adjust', { lines: [{ sku, delta: -1_000_000_001 }] }],
      ['negative count', '/v1/inventory/set', { lines: [{ sku, onHand: -2 }] }],
      ['same location', '/v1/inventory/transfer', { lines: [{ sku, to: 'main', quantity: 1 }] }],
    ]
    for (const [name, path, body] of invalid) {
      const { res, body: answer } = await mutate<ErrorBody>(path, caller, body)
      expect({ name, status: res.status, code: answer.error.code }).toEqual({ name, status: 400, code: 'invalid_request' })
    }
    const unknown = await mutate<ErrorBody>('/v1/inventory/reduce', caller, { lines: [{ sku, quantity: 1 }, { sku: 'NO-SUCH-SKU', quantity: 1 }] })
    expect(unknown.res.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ code: 'unknown_sku', details: { sku: 'NO-SUCH-SKU' } })
    const noKey = await api<ErrorBody>('/v1/inventory/reduce', { ...caller, body: { lines: [{ sku, quantity: 1 }] } })
    expect(noKey.res.status).toBe(400)
    expect(noKey.body.error).toMatchObject({ code: 'invalid_request', details: [{ in: 'header', path: 'idempotency-key' }] })
    const badKey = await mutate<ErrorBody>('/v1/inventory/reduce', caller, { lines: [{ sku, quantity: 1 }] }, 'k'.repeat(256))
    expect(badKey.res.status).toBe(400)
    const malformed = await api<ErrorBody>('/v1/inventory/reduce', { ...caller, headers: { 'idempotency-key': 'x', 'content-type': 'application/json' }, method: 'POST' })
    expect(malformed.res.status).toBe(400)

    expect(await levelOf(owner, sku)).toMatchObject({ onHand: 5, reserved: 0 })
    expect(await ledgerOf(owner, sku)).toHaveLength(1)
  })

  it('needs write for stock changes and read for reads', async () => {
    const owner = await signUp()
    const sku = await stockedSku(owner, 2)
    const read = await createKey(owner, ['read'])
    const writeOnly = await createKey(owner, ['write'])
    const writes: [string, unknown][] = [
      ['/v1/inventory/reduce', { lines: [{ sku, quantity: 1 }] }],
      ['/v1/inventory/adjust', { lines: [{ sku, delta: 1 }] }],
    ]
    for (const [path, input] of writes) {
      const { res, body } = await mutate<ErrorBody>(path, { apiKey: read.key }, input)
      expect({ path, status: res.status, code: body.error.code }).toEqual({ path, status: 403, code: 'forbidden' })
    }
    expect((await api(`/v1/inventory/alerts/alt_0_1/acknowledge`, { apiKey: read.key, method: 'POST' })).res.status).toBe(403)
    expect((await api(`/v1/inventory?sku=${sku}`, { apiKey: read.key })).res.status).toBe(200)
    expect((await api(`/v1/inventory/${sku}/ledger`, { apiKey: read.key })).res.status).toBe(200)
    expect((await api('/v1/inventory/bulk-check', { apiKey: read.key, body: { skus: [sku] } })).body).toEqual({ available: { [sku]: 2 } })
    expect((await api(`/v1/inventory?sku=${sku}`, { apiKey: writeOnly.key })).res.status).toBe(403)
    expect(await levelOf(owner, sku)).toMatchObject({ onHand: 2 })
  })

  it('lists levels page by page, transfers between locations, and configures a SKU', async () => {
    const owner = await signUp()
    const caller = { token: owner.accessToken }
    const skus = ['B-2', 'A-1', 'C-3']
    await mutate('/v1/inventory/skus', caller, { skus: skus.map((sku) => ({ sku })) })
    await mutate('/v1/inventory/set', caller, { lines: [{ sku: 'A-1', onHand: 9 }] })
    const moved = await mutate<{ levels: Level[] }>('/v1/inventory/transfer', caller, { lines: [{ sku: 'A-1', to: 'store-2', quantity: 4 }] })
    expect(moved.body.levels).toEqual([expect.objectContaining({ location: 'main', onHand: 5 }), expect.objectContaining({ location: 'store-2', onHand: 4 })])

    const first = await api<{ data: Level[]; nextCursor: string | null }>('/v1/inventory?limit=2', caller)
    expect(first.body.data.map((l) => `${l.sku}@${l.location}`)).toEqual(['A-1@main', 'A-1@store-2'])
    const rest = await api<{ data: Level[]; nextCursor: string | null }>(`/v1/inventory?limit=2&cursor=${first.body.nextCursor}`, caller)
    expect(rest.body.data.map((l) => l.sku)).toEqual(['B-2', 'C-3'])
    expect(rest.body.nextCursor).toBeNull()
    expect((await api('/v1/inventory?location=store-2', caller)).body).toMatchObject({ data: [{ sku: 'A-1', onHand: 4 }], nextCursor: null })

    const patched = await mutate<{ levels: (Level & { lowStockThreshold: number; allowBackorder: boolean })[] }>('/v1/inventory/B-2', caller, { lowStockThreshold: 3, allowBackorder: true }, undefined, 'PATCH')
    expect(patched.body.levels).toEqual([expect.objectContaining({ sku: 'B-2', lowStockThreshold: 3, allowBackorder: true })])
    expect((await mutate('/v1/inventory/NOPE', caller, { allowBackorder: true }, undefined, 'PATCH')).res.status).toBe(404)
    expect((await api('/v1/inventory?sku=NOPE', caller)).res.status).toBe(404)
    expect((await api('/v1/inventory/NOPE/ledger', caller)).res.status).toBe(404)
  })

  it('holds stock in a reservation, then commits it once', async () => {
    const owner = await signUp()
    const caller = { token: owner.accessToken }
    const sku = await stockedSku(owner, 5)
    const held = await mutate<{ reservation: { id: string; status: string } }>('/v1/inventory/reservations', caller, { ttlSeconds: 60, lines: [{ sku, quantity: 3 }] })
    expect(held.res.status).toBe(201)
    expect(held.body.reservation).toMatchObject({ id: expect.stringMatching(/^rsv_0_/), status: 'held' })
    expect(await levelOf(owner, sku)).toMatchObject({ onHand: 5, reserved: 3, available: 2 })
    expect((await mutate<ErrorBody>('/v1/inventory/reduce', caller, { lines: [{ sku, quantity: 3 }] })).body.error.code).toBe('insufficient_stock')

    const id = held.body.reservation.id
    const committed = await mutate<{ reservation: { status: string } }>(`/v1/inventory/reservations/${id}/commit`, caller, undefined, 'commit-1')
    expect(committed.res.status).toBe(200)
    expect(committed.body.reservation.status).toBe('committed')
    expect((await mutate(`/v1/inventory/reservations/${id}/commit`, caller, undefined, 'commit-1')).res.status).toBe(200)
    expect(await levelOf(owner, sku)).toMatchObject({ onHand: 2, reserved: 0, available: 2 })
    expect((await mutate<ErrorBody>(`/v1/inventory/reservations/${id}/release`, caller, undefined)).body.error.code).toBe('reservation_closed')
    expect((await mutate(`/v1/inventory/reservations/rsv_0_00000000-0000-4000-8000-000000000000/release`, caller, undefined)).res.status).toBe(404)
  })

  it('raises a low-stock alert that admins acknowledge and resolve', async () => {
    const owner = await signUp()
    const caller = { token: owner.accessToken }
    const sku = await stockedSku(owner, 10, { lowStockThreshold: 5 })
    await mutate('/v1/inventory/reduce', caller, { lines: [{ sku, quantity: 6 }] })
    const open = await api<{ data: { id: string; status: string; available: number }[] }>('/v1/inventory/alerts?status=open', caller)
    expect(open.body.data).toEqual([expect.objectContaining({ sku, status: 'open', threshold: 5, available: 4 })])
    const id = open.body.data[0]?.id
    const acknowledged = await api<{ status: string; acknowledgedBy: string }>(`/v1/inventory/alerts/${id}/acknowledge`, { ...caller, method: 'POST' })
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: `user:${owner.user.id}` })
    const resolved = await api<{ status: string }>(`/v1/inventory/alerts/${id}/resolve`, { ...caller, method: 'POST' })
    expect(resolved.body.status).toBe('resolved')
    expect((await api<{ data: unknown[] }>('/v1/inventory/alerts?status=open', caller)).body.data).toEqual([])
    expect((await api('/v1/inventory/alerts/alt_0_999/resolve', { ...caller, method: 'POST' })).res.status).toBe(404)
    expect((await api('/v1/inventory/alerts/nonsense/resolve', { ...caller, method: 'POST' })).res.status).toBe(404)
  })
})

describe("the seed's external inventory API", () => {
  it('reduces and checks stock with the same paths and fields, with or without an Idempotency-Key', async () => {
    const owner = await signUp()
    const sku = await stockedSku(owner, 4)
    const { key } = await createKey(owner, ['read', 'write'])
    const reduced = await api('/api/external/inventory/reduce-stock', { apiKey: key, body: { sku, quantity: 1, reason: 'Venta POS' } })
    expect(reduced.res.status).toBe(200)
    expect(reduced.body).toEqual({ success: true, sku, quantity_reduced: 1, previous_stock: 4, new_stock: 3, reason: 'Venta POS' })
    const keyed = { apiKey: key, body: { sku, quantity: 1 }, headers: { 'idempotency-key': 'pos-7' } }
    await api('/api/external/inventory/reduce-stock', keyed)
    expect((await api('/api/external/inventory/reduce-stock', keyed)).body).toMatchObject({ new_stock: 2 })

    expect((await api(`/api/external/inventory/check-stock?sku=${sku}`, { apiKey: key })).body).toEqual({ success: true, sku, stock: 2, in_stock: true })
    expect((await api('/api/external/inventory/check-stock?sku=GHOST', { apiKey: key })).res.status).toBe(404)
    expect((await api('/api/external/inventory/bulk-check-stock', { apiKey: key, body: { skus: [sku, 'GHOST'] } })).body).toEqual({
      success: true,
      results: [
        { sku, found: true, stock: 2, in_stock: true },
        { sku: 'GHOST', found: false, stock: 0, in_stock: false },
      ],
    })
    const short = await api<ErrorBody>('/api/external/inventory/reduce-stock', { apiKey: key, body: { sku, quantity: 3 } })
    expect(short.res.status).toBe(409)
    expect(short.body.error.code).toBe('insufficient_stock')
    expect((await api('/api/external/inventory/reduce-stock', { apiKey: key, body: { sku, quantity: 0 } })).res.status).toBe(400)
  })
})
