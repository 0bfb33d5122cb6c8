// `npm run bench:auth`: requests/s and p50/p99 of GET /v1/tenant with an API key (authentication + RateLimiter object)
// against the same handler with neither, in the same workerd, in the same run.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { generateApiKey } from '../../workers/auth/api-key-format'
import { createDatabase } from '../../workers/db/client'
import { sha256Hex } from '../../workers/lib/crypto'
import { startEmbeddedPostgres } from '../db/embedded-postgres'
import { migrateDatabase } from '../db/migrate'
import { freePort, startService, stopService, waitForHttp } from '../dev/processes'
import { runLoad, type LoadResult } from './load'
import { report } from './report'

const root = fileURLToPath(new URL('../..', import.meta.url))
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
/** High enough that the bucket never empties during the run: we measure the cost of limiting, not its refusals. */
const BENCH_REQUESTS_PER_MINUTE = 100_000_000

const scratch = await mkdtemp(join(tmpdir(), 'vitrina-bench-auth-'))
const postgres = await startEmbeddedPostgres()
await migrateDatabase({ url: postgres.url })
const client = createDatabase({ url: postgres.url })
await client.db.execute(sql`insert into plans (id, name, price_cents, requests_per_minute) values ('bench', 'Bench', 0, ${BENCH_REQUESTS_PER_MINUTE})`)
const [tenant] = (await client.db.execute<{ id: string }>(sql`insert into tenants (name, slug, plan) values ('Bench', 'bench', 'bench') returning id`)).rows
if (!tenant) throw new Error('bench tenant not created')
const { key, prefix } = generateApiKey()
await client.db.execute(sql`insert into api_keys (tenant_id, name, prefix, key_hash, scopes) values (${tenant.id}, 'bench', ${prefix}, ${await sha256Hex(key)}, '{read}')`)
await client.close()

const port = await freePort()
const worker = startService(
  'worker',
  join(root, 'node_modules/.bin/wrangler'),
  ['dev', 'scripts/bench/auth-worker.ts', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', join(scratch, 'wrangler'), '--show-interactive-dev-session=false', '--log-level', 'error'],
  { cwd: root, env: { ...process.env, DATABASE_URL: postgres.url, JWT_SECRET: 'bench-secret-bench-secret-bench-secret', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' } },
)

try {
  const base = `http://127.0.0.1:${port}`
  await waitForHttp(`${base}/v1/health`, 90_000)
  const withAuth = () => fetch(`${base}/v1/tenant`, { headers: { 'x-api-key': key } })
  const bare = () => fetch(`${base}/bare/v1/tenant`, { headers: { 'x-bench-tenant': tenant.id } })
  await runLoad(withAuth, CONCURRENCY, 2)
  await runLoad(bare, CONCURRENCY, 2)

  const rounds: { bare: LoadResult; auth: LoadResult }[] = []
  for (let round = 0; round < 2; round++) {
    rounds.push({ bare: await runLoad(bare, CONCURRENCY, SECONDS / 2), auth: await runLoad(withAuth, CONCURRENCY, SECONDS / 2) })
  }
  const total = (pick: (r: { bare: LoadResult; auth: LoadResult }) => LoadResult) => {
    const results = rounds.map(pick)
    const requests = results.reduce((n, r) => n + r.requests, 0)
    const seconds = results.reduce((n, r) => n + r.seconds, 0)
    return {
      rps: Math.round((requests / seconds) * 10) / 10,
      p50Ms: Math.max(...results.map((r) => r.p50Ms)),
      p99Ms: Math.max(...results.map((r) => r.p99Ms)),
      errors: results.reduce((n, r) => n + r.errors, 0),
    }
  }
  const bareTotal = total((r) => r.bare)
  const authTotal = total((r) => r.auth)
  await report(
    'auth',
    [
      { variant: 'bare handler (anchor)', ...bareTotal, ratio: 1 },
      { variant: 'API key + rate limit', ...authTotal, ratio: Math.round((authTotal.rps / bareTotal.rps) * 1000) / 1000 },
    ],
    { concurrency: CONCURRENCY, seconds: SECONDS, rounds },
  )
} finally {
  await stopService(worker)
  await postgres.stop()
  await rm(scratch, { recursive: true, force: true })
}
