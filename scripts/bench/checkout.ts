// `npm run bench:checkout`: add-to-cart and checkout per second with p50/p99 through the Worker (Cart and Inventory
// objects, orders in Postgres), on one hot SKU and over 1,000 SKUs, plus the oversell count when many more carts than
// units race for a SKU; the anchor in the same run is the same steps as one PostgreSQL transaction per call.
import { performance } from 'node:perf_hooks'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { createDatabase } from '../../workers/db/client'
import { benchDatabase } from './bench-database'
import type { LoadResult } from './load'
import { loadRow, report } from './report'
import { startBenchStack } from './stack'

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
/** Carts per scenario: every cart gets one add-to-cart, then one checkout, so a phase lasts as long as its carts. */
const CARTS = Number(process.env.BENCH_CARTS ?? 400)
const SPREAD_SKUS = 1_000
const OVERSELL_STOCK = 100
const OVERSELL_TRIES = Number(process.env.BENCH_OVERSELL_TRIES ?? 400)
const PLENTY = 1_000_000_000

const spreadSku = (i: number) => `SPREAD-${String(i).padStart(4, '0')}`
const randomSpreadSku = () => spreadSku(Math.floor(Math.random() * SPREAD_SKUS))
const ADDRESS = { name: 'Bench Buyer', line1: '1 Bench Street', city: 'Madrid', postalCode: '28001', country: 'ES' }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** Calls `call` once per item with `concurrency` in flight; throughput over the whole phase, latency per call. */
async function runOver<T>(items: T[], concurrency: number, call: (item: T) => Promise<boolean>): Promise<LoadResult & { succeeded: number }> {
  const latencies: number[] = []
  let next = 0
  let errors = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T
        const t0 = performance.now()
        const ok = await call(item).catch(() => false)
        latencies.push(performance.now() - t0)
        if (!ok) errors += 1
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 100) / 100
  return {
    requests: latencies.length,
    errors,
    succeeded: latencies.length - errors,
    seconds: round(elapsed),
    rps: Math.round((latencies.length / elapsed) * 10) / 10,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

async function benchPostgres() {
  const anchor = await benchDatabase('vitrina_bench_checkout_anchor')
  console.log(`anchor database: ${anchor.label}`)
  const pool = new pg.Pool({ connectionString: anchor.url, max: CONCURRENCY })
  pool.on('error', (error) => console.warn(`anchor connection lost: ${error.message}`))
  try {
    await pool.query('create table stock (sku text primary key, available integer not null)')
    await pool.query('create table cart_lines (id bigserial primary key, cart_id integer not null, sku text not null, quantity integer not null, ordered boolean not null default false)')
    await pool.query('create index on cart_lines (cart_id)')
    await pool.query('create table orders (id bigserial primary key, cart_id integer not null unique, units integer not null)')
    await pool.query(`insert into stock select 'SPREAD-' || lpad(i::text, 4, '0'), ${PLENTY} from generate_series(0, ${SPREAD_SKUS - 1}) i`)
    await pool.query(`insert into stock values ('HOT', ${PLENTY}), ('SCARCE', ${OVERSELL_STOCK})`)
    let cartIds = 0
    const transaction = async (steps: (client: pg.PoolClient) => Promise<boolean>) => {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const ok = await steps(client)
        await client.query(ok ? 'commit' : 'rollback')
        return ok
      } finally {
        client.release()
      }
    }
    const addToCart = (cartId: number, sku: string) =>
      transaction(async (client) => {
        await client.query('insert into cart_lines (cart_id, sku, quantity) values ($1, $2, 1)', [cartId, sku])
        return (await client.query('update stock set available = available - 1 where sku = $1 and available >= 1', [sku])).rowCount === 1
      })
    const checkout = (cartId: number) =>
      transaction(async (client) => {
        const order = await client.query('insert into orders (cart_id, units) select cart_id, sum(quantity) from cart_lines where cart_id = $1 and not ordered group by cart_id', [cartId])
        await client.query('update cart_lines set ordered = true where cart_id = $1', [cartId])
        return order.rowCount === 1
      })
    const scenario = async (sku: () => string) => {
      console.log(`anchor: ${CARTS} carts`)
      const carts = range(CARTS).map(() => ++cartIds)
      const add = await runOver(carts, CONCURRENCY, (cart) => addToCart(cart, sku()))
      const pay = await runOver(carts, CONCURRENCY, checkout)
      return { add, pay }
    }
    await runOver(range(100).map(() => ++cartIds), CONCURRENCY, (cart) => addToCart(cart, 'HOT'))
    const hot = await scenario(() => 'HOT')
    const spread = await scenario(randomSpreadSku)
    const scarce = await runOver(range(OVERSELL_TRIES).map(() => ++cartIds), CONCURRENCY, (cart) => addToCart(cart, 'SCARCE'))
    const [left] = (await pool.query<{ available: number }>(`select available from stock where sku = 'SCARCE'`)).rows
    return { kind: anchor.label, hot, spread, sold: scarce.succeeded, left: left?.available ?? Number.NaN }
  } finally {
    await pool.end()
    await anchor.stop()
  }
}

async function seedCatalog(databaseUrl: string, tenantId: string) {
  const client = createDatabase({ url: databaseUrl })
  try {
    const skus = ['HOT', 'SCARCE', ...range(SPREAD_SKUS).map(spreadSku)]
    const [product] = (await client.db.execute<{ id: string }>(sql`insert into products (tenant_id, name, slug, status) values (${tenantId}, 'Bench watch', 'bench-watch', 'active') returning id`)).rows
    if (!product) throw new Error('bench product not created')
    await client.db.execute(
      sql`insert into variants (tenant_id, product_id, sku, price, currency, position) select ${tenantId}, ${product.id}, sku, 1000, 'EUR', n from unnest(${`{${skus.join(',')}}`}::text[]) with ordinality as s(sku, n)`,
    )
  } finally {
    await client.close()
  }
}

async function benchWorker() {
  const stack = await startBenchStack({ tenants: [{ scopes: ['read', 'write'] }] })
  const [tenant] = stack.tenants
  if (!tenant) throw new Error('bench tenant missing')
  try {
    const base = stack.base
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'x-api-key': tenant.key, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) })
      return { ok: res.ok, status: res.status, body: (await res.json()) as Record<string, unknown> }
    }
    const setUp = async (path: string, body: unknown) => {
      const res = await call(path, body)
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`)
      return res.body
    }
    await seedCatalog(stack.databaseUrl, tenant.id)
    const all = ['HOT', ...range(SPREAD_SKUS).map(spreadSku)]
    for (let start = 0; start < all.length; start += 500) {
      const skus = all.slice(start, start + 500)
      await setUp('/v1/inventory/skus', { skus: skus.map((sku) => ({ sku })) })
      await setUp('/v1/inventory/set', { lines: skus.map((sku) => ({ sku, onHand: PLENTY })) })
    }
    await setUp('/v1/inventory/skus', { skus: [{ sku: 'SCARCE' }] })
    await setUp('/v1/inventory/set', { lines: [{ sku: 'SCARCE', onHand: OVERSELL_STOCK }] })
    const newCarts = async (n: number) => {
      const ids: string[] = []
      await runOver(range(n), CONCURRENCY, async () => {
        ids.push(String((await setUp('/v1/carts', { currency: 'EUR' })).id))
        return true
      })
      return ids
    }
    const addToCart = async (cart: string, sku: string) => (await call(`/v1/carts/${cart}/items`, { sku, quantity: 1 })).ok
    const checkout = async (cart: string) => (await call(`/v1/carts/${cart}/checkout`, { email: `buyer-${cart}@bench.invalid`, shippingAddress: ADDRESS })).ok
    const scenario = async (sku: () => string) => {
      console.log(`Worker: ${CARTS} carts`)
      const carts = await newCarts(CARTS)
      const add = await runOver(carts, CONCURRENCY, (cart) => addToCart(cart, sku()))
      const pay = await runOver(carts, CONCURRENCY, checkout)
      return { add, pay }
    }
    await runOver(await newCarts(100), CONCURRENCY, (cart) => addToCart(cart, 'HOT'))
    const hot = await scenario(() => 'HOT')
    const spread = await scenario(randomSpreadSku)
    console.log(`Worker: ${OVERSELL_TRIES} carts race for ${OVERSELL_STOCK} units`)
    const scarceCarts = await newCarts(OVERSELL_TRIES)
    const reserved: string[] = []
    const scarce = await runOver(scarceCarts, CONCURRENCY, async (cart) => {
      const ok = await addToCart(cart, 'SCARCE')
      if (ok) reserved.push(cart)
      return ok
    })
    const ordered = await runOver(reserved, CONCURRENCY, checkout)
    const level = (await (await fetch(`${base}/v1/inventory?sku=SCARCE`, { headers: { 'x-api-key': tenant.key } })).json()) as { data: { onHand: number; reserved: number; available: number }[] }
    return { hot, spread, sold: scarce.succeeded, ordered: ordered.succeeded, level: level.data[0] ?? null }
  } finally {
    await stack.stop()
  }
}

const row = (variant: string, load: LoadResult, anchor: LoadResult, sold: number) => loadRow(variant, load, anchor, sold, OVERSELL_STOCK)

const postgres = await benchPostgres()
const worker = await benchWorker()
await report(
  'checkout',
  [
    row('hot SKU add-to-cart: Postgres transaction (anchor)', postgres.hot.add, postgres.hot.add, postgres.sold),
    row('hot SKU add-to-cart: Worker + Cart + Inventory objects', worker.hot.add, postgres.hot.add, worker.sold),
    row('hot SKU checkout: Postgres transaction (anchor)', postgres.hot.pay, postgres.hot.pay, postgres.sold),
    row('hot SKU checkout: Worker + Cart object + orders in Postgres', worker.hot.pay, postgres.hot.pay, worker.sold),
    row('1,000 SKUs add-to-cart: Postgres transaction (anchor)', postgres.spread.add, postgres.spread.add, postgres.sold),
    row('1,000 SKUs add-to-cart: Worker + Cart + Inventory objects', worker.spread.add, postgres.spread.add, worker.sold),
    row('1,000 SKUs checkout: Postgres transaction (anchor)', postgres.spread.pay, postgres.spread.pay, postgres.sold),
    row('1,000 SKUs checkout: Worker + Cart object + orders in Postgres', worker.spread.pay, postgres.spread.pay, worker.sold),
  ],
  {
    concurrency: CONCURRENCY,
    cartsPerScenario: CARTS,
    oversellTest: { stock: OVERSELL_STOCK, tries: OVERSELL_TRIES, concurrency: CONCURRENCY },
    postgres: { kind: postgres.kind, sold: postgres.sold, left: postgres.left },
    worker: { sold: worker.sold, ordered: worker.ordered, level: worker.level },
    notes:
      'Each scenario creates its carts first (not timed), then adds one unit to each (timed), then checks each out (timed). Worker figures are end to end through wrangler dev on this machine with a write API key (its RateLimiter object included); the Worker database and the anchor are on the same Postgres (BENCH_DATABASE_URL or the embedded PGlite). The anchor: add-to-cart = insert a cart line + conditional update of availability; checkout = insert the order from the cart lines + mark them ordered; one transaction per call through a pooled pg client.',
  },
)
