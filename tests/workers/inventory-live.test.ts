// Realtime stock over HTTP: the Worker authenticates a WebSocket (?token= or subprotocol) before handing it to a shard,
// and a change made through the API reaches the socket within 100 ms.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { DELIVERY_BUDGET_MS, subscriberOf, within } from './stock-subscriber'
import { api, BASE, createKey, signUp } from './helpers'

function upgrade(query: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${BASE}/v1/inventory/live${query}`, { headers: { Upgrade: 'websocket', ...headers } })
}

describe('GET /v1/inventory/live', () => {
  it('delivers a change made through the API to a socket opened with ?token= within 100 ms', async () => {
    const owner = await signUp()
    const headers = { 'idempotency-key': crypto.randomUUID() }
    await api('/v1/inventory/skus', { token: owner.accessToken, body: { skus: [{ sku: 'LAMP' }] }, headers })
    const subscriber = subscriberOf(await upgrade(`?token=${owner.accessToken}`))
    expect(await within(subscriber.next(), 2_000)).toMatchObject({ type: 'stock.snapshot', tenantId: owner.tenant.id, shard: 0, levels: [{ sku: 'LAMP', onHand: 0 }] })

    const delivered = subscriber.next()
    const started = performance.now()
    const change = api('/v1/inventory/adjust', { token: owner.accessToken, body: { lines: [{ sku: 'LAMP', delta: 7 }] }, headers: { 'idempotency-key': crypto.randomUUID() } })
    expect(await within(delivered, DELIVERY_BUDGET_MS)).toMatchObject({ type: 'stock.changed', changes: [{ sku: 'LAMP', location: 'main', onHand: 7, available: 7 }] })
    expect(performance.now() - started).toBeLessThan(DELIVERY_BUDGET_MS)
    expect((await change).res.status).toBe(200)
    subscriber.close()
  })

  it('accepts a read API key offered as a subprotocol and answers with the inventory subprotocol', async () => {
    const owner = await signUp()
    const { key } = await createKey(owner, ['read'])
    const response = await upgrade('', { 'Sec-WebSocket-Protocol': `vitrina.inventory, ${key}` })
    expect(response.status).toBe(101)
    expect(response.headers.get('sec-websocket-protocol')).toBe('vitrina.inventory')
    const subscriber = subscriberOf(response)
    expect(await within(subscriber.next(), 2_000)).toMatchObject({ type: 'stock.snapshot', tenantId: owner.tenant.id })
    subscriber.close()
  })

  it('refuses a missing or wrong credential, a key without read, a shard the tenant lacks, and plain HTTP', async () => {
    const owner = await signUp()
    const writeOnly = await createKey(owner, ['write'])
    expect((await upgrade('')).status).toBe(401)
    expect((await upgrade('?token=not-a-token')).status).toBe(401)
    expect((await upgrade(`?token=${writeOnly.key}`)).status).toBe(403)
    expect((await upgrade(`?token=${owner.accessToken}&shard=1`)).status).toBe(400)
    expect((await api(`/v1/inventory/live?token=${owner.accessToken}`)).res.status).toBe(400)
  })
})
