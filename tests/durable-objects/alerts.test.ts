// Low-stock alerts: raised once when a level falls below its threshold, not again while below, re-armed by a restock.
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { freshShard, key, stock } from './helpers'

const sell = (stub: DurableObjectStub<Inventory>, quantity: number) => stub.reduce({ idempotencyKey: key(), actor: 'checkout', lines: [{ sku: 'CUP', quantity }] })
const restock = (stub: DurableObjectStub<Inventory>, delta: number) => stub.adjust({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'CUP', delta }] })

async function alerts(stub: DurableObjectStub<Inventory>) {
  const page = await stub.listAlerts()
  if (!page.ok) throw new Error(page.error.message)
  return page.data.map((a) => ({ status: a.status, available: a.available, threshold: a.threshold }))
}

describe('low-stock alerts', () => {
  it('records one alert per fall below the threshold and re-arms after a restock', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'CUP', 10, { lowStockThreshold: 5 })
    expect(await alerts(stub)).toEqual([])

    await sell(stub, 5)
    expect(await alerts(stub)).toEqual([])
    await sell(stub, 1)
    expect(await alerts(stub)).toEqual([{ status: 'open', available: 4, threshold: 5 }])
    await sell(stub, 2)
    await restock(stub, 1)
    expect(await alerts(stub)).toHaveLength(1)

    await restock(stub, 2)
    expect(await alerts(stub)).toEqual([{ status: 'resolved', available: 4, threshold: 5 }])
    await sell(stub, 1)
    expect(await alerts(stub)).toEqual([
      { status: 'open', available: 4, threshold: 5 },
      { status: 'resolved', available: 4, threshold: 5 },
    ])
  })

  it('counts reservations: holding stock can cross the threshold', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'CUP', 6, { lowStockThreshold: 5 })
    await stub.reserve({ idempotencyKey: key(), actor: 'cart', ttlSeconds: 60, lines: [{ sku: 'CUP', quantity: 2 }] })
    expect(await alerts(stub)).toEqual([{ status: 'open', available: 4, threshold: 5 }])
  })

  it('does not alert for a new SKU that starts below its threshold, only once it has been at or above it', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'CUP', 2, { lowStockThreshold: 5 })
    expect(await alerts(stub)).toEqual([])
    await restock(stub, 3)
    await sell(stub, 1)
    expect(await alerts(stub)).toEqual([{ status: 'open', available: 4, threshold: 5 }])
  })

  it('acknowledges and resolves alerts by hand; a manual resolve raises nothing new until restocked', async () => {
    const { stub } = await freshShard()
    await stock(stub, 'CUP', 5, { lowStockThreshold: 5 })
    await sell(stub, 1)
    const page = await stub.listAlerts({ status: 'open' })
    const open = page.ok ? page.data[0] : undefined
    if (!open) throw new Error('no open alert')

    expect(await stub.acknowledgeAlert({ alertId: open.id, actor: 'ops' })).toMatchObject({ ok: true, alert: { status: 'acknowledged', acknowledgedBy: 'ops' } })
    expect(await stub.resolveAlert({ alertId: open.id, actor: 'ops' })).toMatchObject({ ok: true, alert: { status: 'resolved', resolvedBy: 'ops' } })
    await sell(stub, 1)
    expect(await alerts(stub)).toEqual([{ status: 'resolved', available: 4, threshold: 5 }])
    expect(await stub.acknowledgeAlert({ alertId: 999, actor: 'ops' })).toMatchObject({ ok: false, error: { code: 'alert_not_found' } })
    const acknowledged = await stub.listAlerts({ status: 'acknowledged' })
    expect(acknowledged.ok && acknowledged.data).toEqual([])
  })
})
