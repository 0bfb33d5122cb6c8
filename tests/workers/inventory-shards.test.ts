// Inventory over HTTP on two shards (set through PATCH /v1/tenant): bulk sales spanning both are all or nothing with
// no oversell under 1,000 concurrent requests, retries sell once, and lists merge both shards.
import { describe, expect, it } from 'vitest'
import { shardFor } from '../../durable-objects/inventory/shards'
import { api, signUp, type Account } from './helpers'

type Level = { sku: string; location: string; onHand: number; reserved: number; available: number }
type LedgerEntry = { delta: number; reservedDelta: number }

function mutate<T = Record<string, unknown>>(path: string, owner: Account, body: unknown, key: string = crypto.randomUUID()) {
  return api<T>(path, { token: owner.accessToken, body, headers: { 'idempotency-key': key } })
}

/** A SKU name that lands on `shard` of 2. */
function skuOnShard(shard: number, label: string): string {
  for (let i = 0; ; i++) if (shardFor(`${label}-${i}`, 2) === shard) return `${label}-${i}`
}

/** A fresh tenant with two shards and `onHand` units of one SKU on each. */
async function twoShardTenant(onHand: number): Promise<{ owner: Account; skus: [string, string] }> {
  const owner = await signUp()
  expect((await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { settings: { inventoryShards: 2 } } })).res.status).toBe(200)
  const skus: [string, string] = [skuOnShard(0, 'LEFT'), skuOnShard(1, 'RIGHT')]
  expect((await mutate('/v1/inventory/skus', owner, { skus: skus.map((sku) => ({ sku })) })).body).toMatchObject({ created: 2 })
  for (const sku of skus) expect((await mutate('/v1/inventory/adjust', owner, { lines: [{ sku, delta: onHand }] })).res.status).toBe(200)
  return { owner, skus }
}

async function levelsOf(owner: Account): Promise<Level[]> {
  return (await api<{ data: Level[] }>('/v1/inventory', { token: owner.accessToken })).body.data
}

describe('inventory on two shards', () => {
  it('sells a bulk order spanning both shards exactly 100 times out of 1,000 concurrent tries', { timeout: 90_000 }, async () => {
    const { owner, skus } = await twoShardTenant(100)
    const lines = skus.map((sku) => ({ sku, quantity: 1 }))
    const answers = await Promise.all(Array.from({ length: 1_000 }, () => mutate<{ error?: { code: string } }>('/v1/inventory/reduce', owner, { lines })))
    expect(answers.filter((a) => a.res.status === 200)).toHaveLength(100)
    const refused = answers.filter((a) => a.res.status !== 200)
    expect(refused).toHaveLength(900)
    expect(refused.every((a) => a.res.status === 409 && a.body.error?.code === 'insufficient_stock')).toBe(true)

    expect(await levelsOf(owner)).toEqual(skus.map((sku) => expect.objectContaining({ sku, onHand: 0, reserved: 0, available: 0 })))
    for (const sku of skus) {
      const { body } = await api<{ data: LedgerEntry[]; nextCursor: string | null }>(`/v1/inventory/${sku}/ledger?limit=200`, { token: owner.accessToken })
      const ledger = [...body.data]
      let cursor = body.nextCursor
      while (cursor) {
        const page = await api<{ data: LedgerEntry[]; nextCursor: string | null }>(`/v1/inventory/${sku}/ledger?limit=200&cursor=${cursor}`, { token: owner.accessToken })
        ledger.push(...page.body.data)
        cursor = page.body.nextCursor
      }
      expect(ledger.reduce((sum, entry) => sum + entry.delta, 0)).toBe(0)
      expect(ledger.reduce((sum, entry) => sum + entry.reservedDelta, 0)).toBe(0)
      expect(ledger.filter((entry) => entry.delta === -1)).toHaveLength(100)
    }
  })

  it('sells once for a retried cross-shard order, and nothing when one shard is short', async () => {
    const { owner, skus } = await twoShardTenant(5)
    const order = { lines: skus.map((sku) => ({ sku, quantity: 2 })) }
    const first = await mutate<{ replayed: boolean }>('/v1/inventory/reduce', owner, order, 'bulk-1')
    const retry = await mutate<{ replayed: boolean }>('/v1/inventory/reduce', owner, order, 'bulk-1')
    expect([first.body.replayed, retry.body.replayed]).toEqual([false, true])
    expect((await levelsOf(owner)).map((level) => level.onHand)).toEqual([3, 3])

    const short = await mutate<{ error: { code: string } }>('/v1/inventory/reduce', owner, { lines: [{ sku: skus[0], quantity: 1 }, { sku: skus[1], quantity: 4 }] })
    expect(short.res.status).toBe(409)
    expect(short.body.error.code).toBe('insufficient_stock')
    expect((await levelsOf(owner)).map((level) => [level.onHand, level.reserved])).toEqual([[3, 0], [3, 0]])
    const check = await api('/v1/inventory/bulk-check', { token: owner.accessToken, body: { skus } })
    expect(check.body).toEqual({ available: { [skus[0]]: 3, [skus[1]]: 3 } })
  })

  it('pages levels across shards and refuses a non-sale bulk call that spans them', async () => {
    const { owner, skus } = await twoShardTenant(1)
    const first = await api<{ data: Level[]; nextCursor: string }>('/v1/inventory?limit=1', { token: owner.accessToken })
    const second = await api<{ data: Level[]; nextCursor: string | null }>(`/v1/inventory?limit=1&cursor=${first.body.nextCursor}`, { token: owner.accessToken })
    expect([...first.body.data, ...second.body.data].map((level) => level.sku)).toEqual(skus)
    expect(second.body.nextCursor).toBeNull()

    const spanning = await mutate<{ error: { code: string; details: { path: string; message: string }[] } }>('/v1/inventory/adjust', owner, {
      lines: skus.map((sku) => ({ sku, delta: 1 })),
    })
    expect(spanning.res.status).toBe(400)
    expect(spanning.body.error.details.map((d) => d.message)).toEqual(['on shard 0', 'on shard 1'])
    expect((await levelsOf(owner)).map((level) => level.onHand)).toEqual([1, 1])
  })
})
