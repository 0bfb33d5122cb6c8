// `npm run bench:inventory`: one sale layer by layer in one run (inside one Inventory object, over RPC from the Worker,
// an empty route, the bare reduce handler, the app route with an access token and with an API key; each HTTP layer
// through wrangler dev and straight at the runtime behind its dev proxy), on one hot SKU and over 1,000 SKUs on 1 and 8
// shards, against the seeds' conditional UPDATE on a real PostgreSQL server, with the oversell count of each layer.
import pg from 'pg'
import { signAccessToken } from '../../workers/auth/access-token'
import { startAnchorPostgres } from './inventory-postgres'
import { runLoad, type LoadResult } from './load'
import { loadRow, report } from './report'
import { withCpu, type CpuFigures } from './direct-runtime'
import { BENCH_JWT_SECRET, startBenchStack } from './stack'

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const SPREAD_SKUS = 1_000
/** Shards of the second tenant, which spreads the same 1,000 SKUs over several objects. */
const SPREAD_SHARDS = 8
const OVERSELL_STOCK = 100
const OVERSELL_TRIES = 1_000
const OVERSELL_CONCURRENCY = 64
/** Sales the in-object loop runs back to back. */
const OBJECT_LOOP_COUNT = 5_000
/** Seconds of each one-client run the profile takes its p50 from. */
const SERIAL_SECONDS = 3

const spreadSku = (i: number) => `SPREAD-${String(i).padStart(4, '0')}`
const randomSpreadSku = () => spreadSku(Math.floor(Math.random() * SPREAD_SKUS))

/** Runs `tries` calls with at most `concurrency` in flight; answers how many succeeded. */
async function countSuccesses(tries: number, concurrency: number, attempt: () => Promise<boolean>): Promise<number> {
  let started = 0
  let succeeded = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < tries) {
        started += 1
        if (await attempt()) succeeded += 1
      }
    }),
  )
  return succeeded
}

async function benchPostgres() {
  const anchor = await startAnchorPostgres()
  const pool = new pg.Pool({ connectionString: anchor.url, max: OVERSELL_CONCURRENCY })
  pool.on('error', (error) => console.warn(`anchor connection lost: ${error.message}`))
  try {
    await pool.query('create table stock (sku text primary key, qty integer not null)')
    await pool.query(`insert into stock select 'SPREAD-' || lpad(i::text, 4, '0'), 1000000000 from generate_series(0, ${SPREAD_SKUS - 1}) i`)
    await pool.query(`insert into stock values ('HOT', 1000000000), ('SCARCE', ${OVERSELL_STOCK})`)
    const reduce = async (sku: string) => {
      const result = await pool.query('update stock set qty = qty - $2 where sku = $1 and qty >= $2 returning qty', [sku, 1])
      return new Response(null, { status: result.rowCount === 1 ? 200 : 409 })
    }
    await runLoad(() => reduce('HOT'), CONCURRENCY, 2)
    const hot = await runLoad(() => reduce('HOT'), CONCURRENCY, SECONDS)
    const spread = await runLoad(() => reduce(randomSpreadSku()), CONCURRENCY, SECONDS)
    const sold = await countSuccesses(OVERSELL_TRIES, OVERSELL_CONCURRENCY, async () => (await reduce('SCARCE')).ok)
    const [left] = (await pool.query<{ qty: number }>(`select qty from stock where sku = 'SCARCE'`)).rows
    return { kind: anchor.kind, hot, spread, sold, left: left?.qty ?? Number.NaN }
  } finally {
    await pool.end()
    await anchor.stop()
  }
}

type Measured = LoadResult & CpuFigures

/** Every layer's result on one base URL (the dev proxy's, or the Worker's own runtime behind it). */
interface HttpLayers {
  noop: Measured
  bare: Measured
  token: Measured
  key: Measured
  keySpread: Measured
  keySharded: Measured
  sold: { bare: number; token: number; key: number }
  /** p50 milliseconds of one client at a time, per layer. */
  serial: { noop: number; bare: number; token: number; key: number }
}

async function benchWorker() {
  const stack = await startBenchStack({
    entry: 'scripts/bench/inventory-worker.ts',
    tenants: [{ scopes: ['read', 'write'] }, { settings: { inventoryShards: SPREAD_SHARDS }, scopes: ['read', 'write'] }],
  })
  const [tenant, sharded] = stack.tenants
  if (!tenant || !sharded) throw new Error('bench tenants missing')
  try {
    const token = await signAccessToken({ userId: tenant.memberId, tenantId: tenant.id, role: 'member' }, BENCH_JWT_SECRET)
    const post = (base: string, path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) })
    const asKey = { 'x-api-key': tenant.key }
    const setUp = async (path: string, body: unknown, credential: Record<string, string> = asKey) => {
      const res = await post(stack.base, path, body, credential)
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
    }
    const scarce = ['BARE', 'TOKEN', 'KEY', 'BARE-DIRECT', 'TOKEN-DIRECT', 'KEY-DIRECT'].map((layer) => `SCARCE-${layer}`)
    await setUp('/v1/inventory/skus', { skus: [{ sku: 'HOT' }, ...scarce.map((sku) => ({ sku }))] })
    await setUp('/v1/inventory/set', { lines: [{ sku: 'HOT', onHand: 1_000_000_000 }, ...scarce.map((sku) => ({ sku, onHand: OVERSELL_STOCK }))] })
    const allSpread = Array.from({ length: SPREAD_SKUS }, (_, i) => spreadSku(i))
    for (let start = 0; start < SPREAD_SKUS; start += 500) {
      const skus = allSpread.slice(start, start + 500)
      await setUp('/v1/inventory/skus', { skus: skus.map((sku) => ({ sku })) })
      await setUp('/v1/inventory/set', { lines: skus.map((sku) => ({ sku, onHand: 1_000_000_000 })) })
      await setUp('/v1/inventory/skus', { skus: skus.map((sku) => ({ sku })) }, { 'x-api-key': sharded.key })
    }
    const unset = [...allSpread]
    await countSuccesses(SPREAD_SKUS, CONCURRENCY, async () => {
      await setUp('/v1/inventory/set', { lines: [{ sku: unset.pop(), onHand: 1_000_000_000 }] }, { 'x-api-key': sharded.key })
      return true
    })

    const objectLoop = async (count: number) => {
      const res = await post(stack.base, '/v1/bench/object-loop', { tenantId: tenant.id, sku: 'HOT', count }, {})
      const { succeeded, ms } = (await res.json()) as { succeeded: number; ms: number }
      return { requests: count, errors: count - succeeded, seconds: ms / 1000, rps: Math.round((count / ms) * 10_000) / 10, p50Ms: ms / count, p99Ms: Number.NaN }
    }
    const processes = { runtime: stack.runtimes?.runtimePid, proxy: stack.runtimes?.proxyPid, wrangler: stack.wranglerPid, bench: process.pid }
    const measure = (request: () => Promise<Response>) => withCpu(processes, () => runLoad(request, CONCURRENCY, SECONDS))
    const objectRpc = async (skus: string[], owner = tenant, shards = 1) =>
      withCpu(processes, async () => {
        const res = await post(stack.base, '/v1/bench/object-rpc', { tenantId: owner.id, skus, shards, seconds: SECONDS, concurrency: CONCURRENCY }, {})
        return (await res.json()) as LoadResult
      })
    await objectLoop(500)
    const inObject = await objectLoop(OBJECT_LOOP_COUNT)
    const rpcHot = await objectRpc(['HOT'])
    const rpcSpread = await objectRpc(allSpread)
    const rpcSharded = await objectRpc(allSpread, sharded, SPREAD_SHARDS)

    const layersAt = async (base: string, suffix: string): Promise<HttpLayers> => {
      const line = (sku: string) => ({ lines: [{ sku, quantity: 1 }] })
      const noop = () => post(base, '/v1/bench/noop', line('HOT'), {})
      const bare = (sku: string) => post(base, '/v1/bench/bare-reduce', line(sku), { 'x-bench-tenant': tenant.id })
      const withToken = (sku: string) => post(base, '/v1/inventory/reduce', line(sku), { authorization: `Bearer ${token}` })
      const withKey = (sku: string, key = tenant.key) => post(base, '/v1/inventory/reduce', line(sku), { 'x-api-key': key })
      const serialP50 = async (request: () => Promise<Response>) => (await runLoad(request, 1, SERIAL_SECONDS)).p50Ms
      await runLoad(() => withKey('HOT'), CONCURRENCY, 2)
      const serial = { noop: await serialP50(noop), bare: await serialP50(() => bare('HOT')), token: await serialP50(() => withToken('HOT')), key: await serialP50(() => withKey('HOT')) }
      const soldVia = async (request: (sku: string) => Promise<Response>, layer: string) =>
        countSuccesses(OVERSELL_TRIES, OVERSELL_CONCURRENCY, async () => {
          const res = await request(`SCARCE-${layer}${suffix}`)
          await res.arrayBuffer()
          return res.ok
        })
      return {
        noop: await measure(noop),
        bare: await measure(() => bare('HOT')),
        token: await measure(() => withToken('HOT')),
        key: await measure(() => withKey('HOT')),
        keySpread: await measure(() => withKey(randomSpreadSku())),
        keySharded: await measure(() => withKey(randomSpreadSku(), sharded.key)),
        sold: { bare: await soldVia(bare, 'BARE'), token: await soldVia(withToken, 'TOKEN'), key: await soldVia(withKey, 'KEY') },
        serial,
      }
    }
    const viaProxy = await layersAt(stack.base, '')
    const direct = stack.runtimes ? await layersAt(stack.runtimes.runtimeBase, '-DIRECT') : undefined
    const level = (await (await fetch(`${stack.base}/v1/inventory?sku=SCARCE-KEY`, { headers: asKey })).json()) as { data: { onHand: number }[] }
    return { inObject, rpcHot, rpcSpread, rpcSharded, viaProxy, direct, left: level.data[0]?.onHand ?? Number.NaN }
  } finally {
    await stack.stop()
  }
}

/** A table row; runs measured in the runtime also carry its CPU per request and how much of one core it kept busy. */
const row = (variant: string, load: LoadResult & Partial<CpuFigures>, anchor: LoadResult, sold: number) => ({
  ...loadRow(variant, load, anchor, sold, OVERSELL_STOCK),
  'runtime CPU ms/req': load.cpuMsPerRequest?.runtime ?? '',
  'runtime core share': load.coreShare?.runtime ?? '',
})

const postgres = await benchPostgres()
const worker = await benchWorker()
const hotRows = (name: string, layers: HttpLayers) => [
  row(`hot SKU: (b0) empty route, ${name}`, layers.noop, postgres.hot, 0),
  row(`hot SKU: (b) bare reduce route, ${name}`, layers.bare, postgres.hot, layers.sold.bare),
  row(`hot SKU: (c) full route, access token, ${name}`, layers.token, postgres.hot, layers.sold.token),
  row(`hot SKU: (d) full route, API key + RateLimiter, ${name}`, layers.key, postgres.hot, layers.sold.key),
]
const spreadRows = (name: string, layers: HttpLayers) => [
  row(`1,000 SKUs, 1 shard: (d) API key, ${name}`, layers.keySpread, postgres.spread, 0),
  row(`1,000 SKUs, ${SPREAD_SHARDS} shards: (d) API key, ${name}`, layers.keySharded, postgres.spread, 0),
]
const profile = (name: string, layers: HttpLayers) => ({
  runtime: name,
  'empty route ms': layers.serial.noop,
  'bare reduce ms': layers.serial.bare,
  'access token ms': layers.serial.token,
  'API key ms': layers.serial.key,
  'API key CPU ms/req: runtime': layers.key.cpuMsPerRequest.runtime ?? Number.NaN,
  'proxy': layers.key.cpuMsPerRequest.proxy ?? Number.NaN,
  'wrangler (node)': layers.key.cpuMsPerRequest.wrangler ?? Number.NaN,
  'bench client + PGlite (node)': layers.key.cpuMsPerRequest.bench ?? Number.NaN,
})
const direct = worker.direct
const profiles = [profile('wrangler dev', worker.viaProxy), ...(direct ? [profile('workerd without the dev proxy', direct)] : [])]
console.table(profiles)
await report(
  'inventory',
  [
    row(`hot SKU: ${postgres.kind} (anchor)`, postgres.hot, postgres.hot, postgres.sold),
    row('hot SKU: (a) one Inventory object, loop inside the object', worker.inObject, postgres.hot, 0),
    row('hot SKU: (a) one Inventory object, RPC from the Worker', worker.rpcHot, postgres.hot, 0),
    ...(direct ? hotRows('workerd without the dev proxy', direct) : []),
    ...hotRows('wrangler dev', worker.viaProxy),
    row(`1,000 SKUs: ${postgres.kind} (anchor)`, postgres.spread, postgres.spread, postgres.sold),
    row('1,000 SKUs: (a) one Inventory object, RPC from the Worker', worker.rpcSpread, postgres.spread, 0),
    row(`1,000 SKUs: (a) ${SPREAD_SHARDS} Inventory objects, RPC from the Worker`, worker.rpcSharded, postgres.spread, 0),
    ...(direct ? spreadRows('workerd without the dev proxy', direct) : []),
    ...spreadRows('wrangler dev', worker.viaProxy),
  ],
  {
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    profile: profiles,
    oversellTest: { stock: OVERSELL_STOCK, tries: OVERSELL_TRIES, concurrency: OVERSELL_CONCURRENCY },
    postgres: { kind: postgres.kind, sold: postgres.sold, left: postgres.left },
    worker: { left: worker.left },
    notes:
      '(a) drives Inventory objects with no HTTP: a loop inside one object, and 16 concurrent RPC callers in the Worker (to one object, and to the SKU\'s shard of 8 for the spread). (b0) an empty route, (b) the reduce handler without the app middleware, (c) the app route with an access token, (d) with an API key and its RateLimiter object. Each HTTP layer runs through wrangler dev (its dev proxy, a second workerd process, in front) and straight at the Worker runtime behind it. The profile is the p50 of one client at a time, and CPU per request of each workerd process during (d). Oversell: 1,000 concurrent sales of 1 against 100 units, per layer.',
  },
)
