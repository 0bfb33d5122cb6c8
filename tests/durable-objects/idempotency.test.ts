// Exactly-once mutations: retries replay the first result, a reused key with another payload conflicts, keys expire after 24 h.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { IDEMPOTENCY_TTL_MS } from '../../durable-objects/inventory/limits'
import { freshShard, key, stock, tableRows } from './helpers'

describe('idempotency', () => {
  it('applies a retried sale once and replays its first result', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'MUG', 10)
    const sale = { idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'MUG', quantity: 3 }] }

    const first = await stub.reduce(sale)
    const retries = await Promise.all([stub.reduce(sale), stub.reduce(sale)])

    expect(first).toMatchObject({ ok: true, replayed: false, levels: [{ sku: 'MUG', onHand: 7 }] })
    for (const retry of retries) expect(retry).toEqual({ ...first, replayed: true })
    const levels = await stub.getLevels({ skus: ['MUG'] })
    expect(levels.ok && levels.levels[0]?.onHand).toBe(7)
    expect(await tableRows(stub, `select id from ledger where reason = 'sale'`)).toHaveLength(1)
  })

  it('answers idempotency_conflict for the same key with another payload, and changes nothing', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'MUG', 10)
    const idempotencyKey = key()
    await stub.reduce({ idempotencyKey, actor: 'checkout', lines: [{ sku: 'MUG', quantity: 3 }] })

    const conflicting = await stub.reduce({ idempotencyKey, actor: 'checkout', lines: [{ sku: 'MUG', quantity: 4 }] })
    const otherOperation = await stub.adjust({ idempotencyKey, actor: 'checkout', lines: [{ sku: 'MUG', delta: 3 }] })

    expect(conflicting).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } })
    expect(otherOperation).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } })
    const levels = await stub.getLevels({ skus: ['MUG'] })
    expect(levels.ok && levels.levels[0]?.onHand).toBe(7)
  })

  it('remembers a refusal, so a retry after a restock does not turn it into a sale', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'MUG', 1)
    const sale = { idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'MUG', quantity: 2 }] }
    expect(await stub.reduce(sale)).toMatchObject({ ok: false, error: { code: 'insufficient_stock' } })
    await stub.adjust({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'MUG', delta: 5 }] })

    expect(await stub.reduce(sale)).toMatchObject({ ok: false, error: { code: 'insufficient_stock' } })
    const levels = await stub.getLevels({ skus: ['MUG'] })
    expect(levels.ok && levels.levels[0]?.onHand).toBe(6)
  })

  it('forgets keys after 24 hours, pruned by the alarm', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'MUG', 10)
    const sale = { idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'MUG', quantity: 1 }] }
    await stub.reduce(sale)
    const [remembered] = await tableRows<{ expires_at: number; at: number }>(
      stub,
      'select i.expires_at, l.at from idempotency i join ledger l on l.idempotency_key = i.key where i.key = ?',
      sale.idempotencyKey,
    )
    expect(remembered && remembered.expires_at - remembered.at).toBe(IDEMPOTENCY_TTL_MS)

    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec('update idempotency set expires_at = ? where key = ?', Date.now() - 1, sale.idempotencyKey)
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)

    expect(await tableRows(stub, 'select key from idempotency where key = ?', sale.idempotencyKey)).toEqual([])
    expect(await stub.reduce(sale)).toMatchObject({ ok: true, replayed: false, levels: [{ onHand: 8 }] })
  })
})
