// `npm run bench:catalog`: p50/p99 of the product list (newest first; category + status filtered) and of the text
// search, through the exact SQL workers/catalog/product-search.ts builds, on 100k products of one tenant among several;
// then the same queries after dropping the catalog's secondary indexes, in the same run. Each figure is a ratio against
// its no-index anchor. Runs on the embedded PGlite (the project's default Postgres), or on a server named by BENCH_DATABASE_URL.
import { performance } from 'node:perf_hooks'
import { sql } from 'drizzle-orm'
import { searchProductIds, type ProductListQuery } from '../../workers/catalog/product-search'
import { createDatabase, type Database } from '../../workers/db/client'
import { migrateDatabase } from '../db/migrate'
import { generateTenant, type BenchTenant } from './catalog-data'
import { report } from './report'
import { benchDatabase } from './bench-database'

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000)
const OTHER_TENANTS = 3
const OTHER_TENANT_PRODUCTS = Number(process.env.BENCH_OTHER_PRODUCTS ?? 5_000)
/** Per query and index state: stop after this many runs or this much time, whichever comes first. */
const MAX_RUNS = Number(process.env.BENCH_RUNS ?? 200)
const MAX_SECONDS_PER_CASE = Number(process.env.BENCH_SECONDS ?? 20)
const SECONDARY_INDEXES = ['products_search_idx', 'products_name_trgm_idx', 'variants_sku_trgm_idx', 'products_tenant_created_idx', 'products_tenant_status_idx']
const SEARCH_TERMS = ['diver', 'sapphire automatic', 'pilot luminous', 'skeleton', 'vintage ocean']

interface Case {
  name: string
  query: (run: number) => ProductListQuery
}

interface Timing {
  runs: number
  p50Ms: number
  p99Ms: number
  rows: number
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

async function measure(db: Database, tenantId: string, benchCase: Case): Promise<Timing> {
  await searchProductIds(db, tenantId, benchCase.query(0))
  const latencies: number[] = []
  let rows = 0
  const deadline = performance.now() + MAX_SECONDS_PER_CASE * 1000
  for (let run = 0; run < MAX_RUNS && performance.now() < deadline; run++) {
    const t0 = performance.now()
    rows = (await searchProductIds(db, tenantId, benchCase.query(run))).ids.length
    latencies.push(performance.now() - t0)
  }
  latencies.sort((a, b) => a - b)
  return { runs: latencies.length, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), rows }
}

function cases(tenant: BenchTenant): Case[] {
  const base = { limit: 50, attributes: [] }
  return [
    { name: 'list newest, page of 50', query: () => ({ ...base }) },
    { name: 'list category + active, page of 50', query: (run) => ({ ...base, status: 'active', categoryId: tenant.categoryIds[run % tenant.categoryIds.length] }) },
    { name: 'text search (relevance), page of 50', query: (run) => ({ ...base, q: SEARCH_TERMS[run % SEARCH_TERMS.length] }) },
  ]
}

const database = await benchDatabase('vitrina_bench_catalog')
const { url, label: backend } = database
console.log(`database: ${backend}`)
const client = createDatabase({ url })
try {
  await migrateDatabase({ url })
  const started = performance.now()
  for (let i = 0; i < OTHER_TENANTS; i++) await generateTenant(client.db, `other${i}`, OTHER_TENANT_PRODUCTS)
  const tenant = await generateTenant(client.db, 'big', PRODUCTS)
  await client.db.execute(sql`analyze`)
  const generateSeconds = round((performance.now() - started) / 1000, 1)
  console.log(`generated ${PRODUCTS} products (+${OTHER_TENANTS}×${OTHER_TENANT_PRODUCTS} in other tenants) in ${generateSeconds} s on ${backend}`)

  const indexed: Timing[] = []
  for (const benchCase of cases(tenant)) indexed.push(await measure(client.db, tenant.id, benchCase))
  for (const name of SECONDARY_INDEXES) await client.db.execute(sql.raw(`drop index ${name}`))
  await client.db.execute(sql`analyze`)
  const bare: Timing[] = []
  for (const benchCase of cases(tenant)) bare.push(await measure(client.db, tenant.id, benchCase))

  const rows = cases(tenant).flatMap((benchCase, i) => {
    const anchor = bare[i]
    const withIndexes = indexed[i]
    if (!anchor || !withIndexes) return []
    return [
      { query: benchCase.name, indexes: 'none (anchor)', runs: anchor.runs, p50Ms: anchor.p50Ms, p99Ms: anchor.p99Ms, p50Ratio: 1, p99Ratio: 1 },
      {
        query: benchCase.name,
        indexes: 'catalog secondary',
        runs: withIndexes.runs,
        p50Ms: withIndexes.p50Ms,
        p99Ms: withIndexes.p99Ms,
        p50Ratio: round(withIndexes.p50Ms / anchor.p50Ms, 3),
        p99Ratio: round(withIndexes.p99Ms / anchor.p99Ms, 3),
      },
    ]
  })
  await report('catalog', rows, { backend, products: PRODUCTS, otherTenants: OTHER_TENANTS, otherTenantProducts: OTHER_TENANT_PRODUCTS, generateSeconds, droppedIndexes: SECONDARY_INDEXES, indexed, bare })
} finally {
  await client.close()
  await database.stop()
}
