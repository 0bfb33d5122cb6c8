// Analytics Engine data points: one per request with the route pattern (never the concrete path), status, tenant and
// duration, and one per Inventory operation with its outcome. The local binding drops writes, so a recorder stands in.
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../workers/index'
import { freshShard, key } from '../durable-objects/helpers'
import { BASE, createKey, signUp } from './helpers'

/** An Analytics Engine dataset that keeps what it is given. */
function recorder(): AnalyticsEngineDataset & { points: AnalyticsEngineDataPoint[] } {
  const points: AnalyticsEngineDataPoint[] = []
  return { points, writeDataPoint: (point) => void points.push(point ?? {}) }
}

async function fetchRecorded(path: string, headers: Record<string, string>, dataset: AnalyticsEngineDataset): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${BASE}${path}`, { headers }), { ...env, ANALYTICS: dataset }, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

describe('Analytics Engine data points', () => {
  it('writes one point per request: the route pattern, method, status and tenant, with the duration', async () => {
    const owner = await signUp()
    const { key: apiKey } = await createKey(owner, ['read'])
    const dataset = recorder()
    const missing = crypto.randomUUID()
    expect((await fetchRecorded(`/v1/products/${missing}`, { 'x-api-key': apiKey }, dataset)).status).toBe(404)
    expect((await fetchRecorded('/v1/products?limit=2', { 'x-api-key': apiKey }, dataset)).status).toBe(200)
    expect((await fetchRecorded('/v1/products', {}, dataset)).status).toBe(401)

    expect(dataset.points.map((p) => p.blobs)).toEqual([
      ['request', 'GET', '/v1/products/:id', '404', owner.tenant.id],
      ['request', 'GET', '/v1/products', '200', owner.tenant.id],
      ['request', 'GET', '/v1/products', '401', 'none'],
    ])
    expect(dataset.points.map((p) => p.indexes)).toEqual([[owner.tenant.id], [owner.tenant.id], ['none']])
    for (const point of dataset.points) {
      expect(point.doubles?.[0]).toBeGreaterThanOrEqual(0)
      expect(point.doubles?.[1]).toBe(Number(point.blobs?.[3]))
    }
    expect(JSON.stringify(dataset.points)).not.toContain(missing)
  })

  it('writes one point per Inventory operation with its outcome: ok, replayed, or the error code', async () => {
    const { tenantId, stub } = await freshShard()
    const dataset = recorder()
    await runInDurableObject(stub, (instance) => {
      Object.assign(instance, { env: { ...env, ANALYTICS: dataset } })
    })
    const adjustKey = key()
    await stub.register({ idempotencyKey: key(), actor: 'test', skus: [{ sku: 'MUG' }] })
    await stub.adjust({ idempotencyKey: adjustKey, actor: 'test', lines: [{ sku: 'MUG', delta: 2 }] })
    await stub.adjust({ idempotencyKey: adjustKey, actor: 'test', lines: [{ sku: 'MUG', delta: 2 }] })
    await stub.reduce({ idempotencyKey: key(), actor: 'test', lines: [{ sku: 'MUG', quantity: 5 }] })

    expect(dataset.points.map((p) => p.blobs)).toEqual([
      ['object_operation', 'Inventory', 'register', 'ok', tenantId],
      ['object_operation', 'Inventory', 'adjust', 'ok', tenantId],
      ['object_operation', 'Inventory', 'adjust', 'replayed', tenantId],
      ['object_operation', 'Inventory', 'reduce', 'insufficient_stock', tenantId],
    ])
    expect(dataset.points.every((p) => p.indexes?.[0] === tenantId && (p.doubles?.[0] ?? -1) >= 0)).toBe(true)
  })
})
