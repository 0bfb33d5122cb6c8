// Worker entry for `npm run bench:inventory`: the real app, plus the layers beneath its reduce route mounted beside it, so
// every layer is measured in one workerd in one run (scripts/bench/inventory.ts explains each row).
import { Hono } from 'hono'
import { reduceAcrossShards } from '../../durable-objects/inventory/fan-out'
import { inventoryName, inventoryStub, shardFor } from '../../durable-objects/inventory/shards'
import app, { Inventory as AppInventory } from '../../workers/index'

export * from '../../workers/index'

/** The app's Inventory object with one more method: a loop of sales run inside the object, its own ceiling. */
export class Inventory extends AppInventory {
  /** Runs `count` one-unit sales of `sku` one after another; answers how many succeeded. */
  async benchReduceLoop(sku: string, count: number): Promise<{ succeeded: number }> {
    let succeeded = 0
    for (let i = 0; i < count; i += 1) {
      const result = await this.reduce({ idempotencyKey: crypto.randomUUID(), actor: 'bench', lines: [{ sku, quantity: 1 }] })
      if (result.ok) succeeded += 1
    }
    return { succeeded }
  }
}

type ReduceBody = { lines: { sku: string; quantity: number }[] }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** The layers: in-object loop, RPC from the Worker (to the SKU's shard), an empty route, and the reduce handler without the app's middleware. */
const layers = new Hono<{ Bindings: Env }>()
  .post('/v1/bench/object-loop', async (c) => {
    const { tenantId, sku, count } = await c.req.json<{ tenantId: string; sku: string; count: number }>()
    // This entry binds INVENTORY to the subclass above; Env types it as the app's class.
    const stub = (c.env.INVENTORY as unknown as DurableObjectNamespace<Inventory>).getByName(inventoryName(tenantId, 0))
    const started = Date.now()
    const { succeeded } = await stub.benchReduceLoop(sku, count)
    return c.json({ succeeded, ms: Date.now() - started })
  })
  .post('/v1/bench/object-rpc', async (c) => {
    const { tenantId, skus, shards, seconds, concurrency } = await c.req.json<{ tenantId: string; skus: string[]; shards: number; seconds: number; concurrency: number }>()
    const latencies: number[] = []
    let errors = 0
    const started = Date.now()
    const deadline = started + seconds * 1000
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          const t0 = Date.now()
          const sku = skus[Math.floor(Math.random() * skus.length)] ?? ''
          const result = await inventoryStub(c.env, tenantId, shardFor(sku, shards)).reduce({ idempotencyKey: crypto.randomUUID(), actor: 'bench', lines: [{ sku, quantity: 1 }] })
          if (!result.ok) errors += 1
          latencies.push(Date.now() - t0)
        }
      }),
    )
    const elapsed = (Date.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    return c.json({ requests: latencies.length, errors, seconds: elapsed, rps: latencies.length / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) })
  })
  .post('/v1/bench/noop', async (c) => {
    await c.req.json()
    return c.json({ ok: true })
  })
  .post('/v1/bench/bare-reduce', async (c) => {
    const { lines } = await c.req.json<ReduceBody>()
    const tenantId = c.req.header('x-bench-tenant') ?? ''
    const idempotencyKey = c.req.header('idempotency-key') ?? crypto.randomUUID()
    const result = await reduceAcrossShards(c.env, { tenantId, shardCount: 1, idempotencyKey, actor: 'bench', lines })
    return c.json(result, result.ok ? 200 : 409)
  })

export default {
  fetch(request, env, ctx) {
    return new URL(request.url).pathname.startsWith('/v1/bench/') ? layers.fetch(request, env, ctx) : app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>
