// `npm run bench:inventory`: reduce operations per second and p50/p99 through the Worker and the Inventory object, on one
// hot SKU and spread over 1,000 SKUs, against the seeds' conditional UPDATE on a real PostgreSQL server in the same run,
// plus the oversell count of each when 1,000 concurrent sales meet 100 units.
import pg from 'pg'
import { signAccessToken } from '../../workers/auth/access-token'
import { startAnchorPostgres } from './inventory-postgres'
import { runLoad, type LoadResult } from './load'
import { loadRow, report } from './report'
import { BENCH_JWT_SECRET, startBenchStack } from './stack'

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const SPREAD_SKUS = 1_000
/** Shards of the second tenant, which spreads the same 1,000 SKUs over several objects. */
const SPREAD_SHARDS = 8
const OVERSELL_STOCK = 100
const OVERSELL_TRIES = 1_000
const OVERSELL_CONCURRENCY = 64

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

async function benchWorker() {
  const stack = await startBenchStack({ tenants: [{ scopes: ['read', 'write'] }, { settings: { inventoryShards: SPREAD_SHARDS }, scopes: ['read', 'write'] }] })
  const [tenant, sharded] = stack.tenants
  if (!tenant || !sharded) throw new Error('bench tenants missing')
  const { key } = tenant
  try {
    const base = stack.base
    const token = await signAccessToken({ userId: tenant.memberId, tenantId: tenant.id, role: 'member' }, BENCH_JWT_SECRET)
    const shardedToken = await signAccessToken({ userId: sharded.memberId, tenantId: sharded.id, role: 'member' }, BENCH_JWT_SECRET)
    const call = (path: string, body: unknown, credential: Record<string, string> = { 'x-api-key': key }) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { ...credential, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) })
    const setUp = async (path: string, body: unknown, credential?: Record<string, string>) => {
      const res = await call(path, body, credential)
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
    }
    await setUp('/v1/inventory/skus', { skus: [{ sku: 'HOT' }, { sku: 'SCARCE' }] })
    await setUp('/v1/inventory/set', { lines: [{ sku: 'HOT', onHand: 1_000_000_000 }, { sku: 'SCARCE', onHand: OVERSELL_STOCK }] })
    for (let start = 0; start < SPREAD_SKUS; start += 500) {
      const skus = Array.from({ length: 500 }, (_, i) => spreadSku(start + i))
      await setUp('/v1/inventory/skus', { skus: skus.map((sku) => ({ sku })) })
      await setUp('/v1/inventory/set', { lines: skus.map((sku) => ({ sku, onHand: 1_000_000_000 })) })
    }
    const asSharded = { authorization: `Bearer ${shardedToken}` }
    const allSpread = Array.from({ length: SPREAD_SKUS }, (_, i) => spreadSku(i))
    for (let start = 0; start < SPREAD_SKUS; start += 500) await setUp('/v1/inventory/skus', { skus: allSpread.slice(start, start + 500).map((sku) => ({ sku })) }, asSharded)
    const unset = [...allSpread]
    await countSuccesses(SPREAD_SKUS, CONCURRENCY, async () => {
      await setUp('/v1/inventory/set', { lines: [{ sku: unset.pop(), onHand: 1_000_000_000 }] }, asSharded)
      return true
    })
    const reduce = (sku: string) => call('/v1/inventory/reduce', { lines: [{ sku, quantity: 1 }] })
    const reduceAsMember = (sku: string) => call('/v1/inventory/reduce', { lines: [{ sku, quantity: 1 }] }, { authorization: `Bearer ${token}` })
    await runLoad(() => reduce('HOT'), CONCURRENCY, 2)
    const hot = await runLoad(() => reduce('HOT'), CONCURRENCY, SECONDS)
    const spread = await runLoad(() => reduce(randomSpreadSku()), CONCURRENCY, SECONDS)
    const hotMember = await runLoad(() => reduceAsMember('HOT'), CONCURRENCY, SECONDS)
    const spreadMember = await runLoad(() => reduceAsMember(randomSpreadSku()), CONCURRENCY, SECONDS)
    const spreadSharded = await runLoad(() => call('/v1/inventory/reduce', { lines: [{ sku: randomSpreadSku(), quantity: 1 }] }, asSharded), CONCURRENCY, SECONDS)
    const sold = await countSuccesses(OVERSELL_TRIES, OVERSELL_CONCURRENCY, async () => {
      const res = await reduce('SCARCE')
      await res.arrayBuffer()
      return res.ok
    })
    const level = (await (await fetch(`${base}/v1/inventory?sku=SCARCE`, { headers: { 'x-api-key': key } })).json()) as { data: { onHand: number }[] }
    return { hot, spread, hotMember, spreadMember, spreadSharded, sold, left: level.data[0]?.onHand ?? Number.NaN }
  } finally {
    await stack.stop()
  }
}

const row = (variant: string, load: LoadResult, anchor: LoadResult, sold: number) => loadRow(variant, load, anchor, sold, OVERSELL_STOCK)

const postgres = await benchPostgres()
const worker = await benchWorker()
await report(
  'inventory',
  [
    row(`hot SKU: ${postgres.kind} (anchor)`, postgres.hot, postgres.hot, postgres.sold),
    row('hot SKU: Worker + Inventory object, API key (RateLimiter object)', worker.hot, postgres.hot, worker.sold),
    row('hot SKU: Worker + Inventory object, access token', worker.hotMember, postgres.hot, worker.sold),
    row(`1,000 SKUs: ${postgres.kind} (anchor)`, postgres.spread, postgres.spread, postgres.sold),
    row('1,000 SKUs: Worker + Inventory object, API key (RateLimiter object)', worker.spread, postgres.spread, worker.sold),
    row('1,000 SKUs: Worker + Inventory object, access token', worker.spreadMember, postgres.spread, worker.sold),
    row(`1,000 SKUs on ${SPREAD_SHARDS} shards: Worker + Inventory objects, access token`, worker.spreadSharded, postgres.spread, worker.sold),
  ],
  {
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    oversellTest: { stock: OVERSELL_STOCK, tries: OVERSELL_TRIES, concurrency: OVERSELL_CONCURRENCY },
    postgres: { kind: postgres.kind, sold: postgres.sold, left: postgres.left },
    worker: { sold: worker.sold, left: worker.left },
    notes:
      'Worker figures are end to end through wrangler dev on this machine: HTTP, authentication (an API key also calls its RateLimiter object; an access token does not) and the Inventory object. The anchor is a pooled pg client sending the SQL directly. Oversell: 1,000 concurrent sales of 1 against 100 units (API key for the Worker).',
  },
)
