// Stock operations one by one: register, configure, adjust, set with compare-and-set, sales with backorder, transfers, listings.
import { describe, expect, it } from 'vitest'
import { freshShard, key, stock, tableRows } from './helpers'

const admin = { actor: 'admin@shop' }

describe('levels', () => {
  it('registers SKUs at zero and reports unknown ones', async () => {
    const { stub } = await freshShard()
    const registered = await stub.register({ ...admin, idempotencyKey: key(), skus: [{ sku: 'TEE' }, { sku: 'TEE', location: 'paris', lowStockThreshold: 2, allowBackorder: true }] })
    expect(registered).toMatchObject({ ok: true, created: 2 })

    const levels = await stub.getLevels({ skus: ['TEE', 'NOPE'] })
    expect(levels).toEqual({
      ok: true,
      unknownSkus: ['NOPE'],
      levels: [
        expect.objectContaining({ sku: 'TEE', location: 'main', onHand: 0, reserved: 0, available: 0, lowStockThreshold: null, allowBackorder: false }),
        expect.objectContaining({ sku: 'TEE', location: 'paris', onHand: 0, lowStockThreshold: 2, allowBackorder: true }),
      ],
    })
    const again = await stub.register({ ...admin, idempotencyKey: key(), skus: [{ sku: 'TEE', lowStockThreshold: 9 }] })
    expect(again).toMatchObject({ ok: true, created: 0, levels: [] })
  })

  it('adjusts stock up and down, never below available without backorder', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 5)
    expect(await stub.adjust({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', delta: -2 }] })).toMatchObject({ ok: true, levels: [{ onHand: 3 }] })
    expect(await stub.adjust({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', delta: -4 }] })).toMatchObject({
      ok: false,
      error: { code: 'insufficient_stock', details: { requested: 4, available: 3 } },
    })
  })

  it('sets on hand absolutely, and refuses a stale compare-and-set', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 5)
    expect(await stub.setOnHand({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', onHand: 12, expected: 5 }] })).toMatchObject({ ok: true, levels: [{ onHand: 12 }] })
    expect(await stub.setOnHand({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', onHand: 1, expected: 5 }] })).toMatchObject({
      ok: false,
      error: { code: 'stale_quantity', details: { expected: 5, actual: 12 } },
    })
    const [ledger] = await tableRows<{ total: number }>(stub, `select sum(delta) as total from ledger where sku = 'TEE'`)
    expect(ledger?.total).toBe(12)
  })

  it('sells into negative stock only where backorders are allowed', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 1)
    expect(await stub.reduce({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', quantity: 2 }] })).toMatchObject({ ok: false, error: { code: 'insufficient_stock' } })
    await stub.configure({ ...admin, idempotencyKey: key(), sku: 'TEE', allowBackorder: true })
    expect(await stub.reduce({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', quantity: 2 }] })).toMatchObject({ ok: true, levels: [{ onHand: -1, available: -1 }] })
  })

  it('applies bulk lines all or nothing', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'A', 5)
    await stock(stub, 'B', 1)
    const result = await stub.reduce({
      ...admin,
      idempotencyKey: key(),
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'insufficient_stock', details: { sku: 'B', requested: 1, available: 0 } } })
    const levels = await stub.getLevels({ skus: ['A', 'B'] })
    expect(levels.ok && levels.levels.map((l) => l.onHand)).toEqual([5, 1])
    expect(await tableRows(stub, `select id from ledger where reason = 'sale'`)).toEqual([])
  })

  it('transfers between locations, creating the destination level', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 5)
    const moved = await stub.transfer({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', from: 'main', to: 'paris', quantity: 3 }] })
    expect(moved).toMatchObject({ ok: true, levels: [{ location: 'main', onHand: 2 }, { location: 'paris', onHand: 3 }] })
    expect(await stub.transfer({ ...admin, idempotencyKey: key(), lines: [{ sku: 'TEE', from: 'main', to: 'paris', quantity: 3 }] })).toMatchObject({
      ok: false,
      error: { code: 'insufficient_stock' },
    })
  })
})

describe('listings', () => {
  it('pages the ledger of a SKU newest first', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 10)
    for (let i = 1; i <= 4; i += 1) await stub.reduce({ actor: `buyer-${i}`, idempotencyKey: key(), lines: [{ sku: 'TEE', quantity: i }] })

    const first = await stub.history({ sku: 'TEE', limit: 3 })
    expect(first.ok && first.data.map((e) => [e.reason, e.delta, e.onHand])).toEqual([
      ['sale', -4, 0],
      ['sale', -3, 4],
      ['sale', -2, 7],
    ])
    const second = first.ok && first.nextCursor ? await stub.history({ sku: 'TEE', limit: 3, cursor: first.nextCursor }) : undefined
    expect(second?.ok && second.data.map((e) => [e.reason, e.delta, e.actor])).toEqual([
      ['sale', -1, 'buyer-1'],
      ['adjust', 10, 'test'],
    ])
    expect(second?.ok && second.nextCursor).toBeNull()
    expect(await stub.history({ sku: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'unknown_sku' } })
    expect(await stub.history({ sku: 'TEE', cursor: 'garbage' })).toMatchObject({ ok: false, error: { code: 'invalid_cursor' } })
  })

  it('pages every level of the shard in SKU order, optionally by location', async () => {
    const { stub } = await freshShard()
    await stub.register({ ...admin, idempotencyKey: key(), skus: ['C', 'A', 'B'].map((sku) => ({ sku })) })
    await stub.register({ ...admin, idempotencyKey: key(), skus: [{ sku: 'A', location: 'paris' }] })

    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await stub.listLevels({ limit: 2, cursor })
      if (!page.ok) throw new Error(page.error.message)
      seen.push(...page.data.map((l) => `${l.sku}@${l.location}`))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(['A@main', 'A@paris', 'B@main', 'C@main'])
    const paris = await stub.listLevels({ location: 'paris' })
    expect(paris.ok && paris.data.map((l) => l.sku)).toEqual(['A'])
  })

  it('checks availability of many SKUs at once', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'A', 4)
    await stock(stub, 'B', 0)
    expect(await stub.check({ skus: ['A', 'B'] })).toEqual({ ok: true, available: { A: 4, B: 0 } })
    expect(await stub.check({ skus: ['A', 'X', 'Y'] })).toMatchObject({ ok: false, error: { code: 'unknown_sku', details: { skus: ['X', 'Y'] } } })
  })
})
