// `npm run bench:auth`: requests/s and p50/p99 of GET /v1/tenant with an API key (authentication + RateLimiter object)
// against the same handler with neither, in the same workerd, in the same run.
import { runLoad, type LoadResult } from './load'
import { report } from './report'
import { startBenchStack } from './stack'

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)

const stack = await startBenchStack({ entry: 'scripts/bench/auth-worker.ts', tenants: [{ scopes: ['read'] }] })
const [tenant] = stack.tenants
if (!tenant) throw new Error('bench tenant missing')
const { key } = tenant

try {
  const base = stack.base
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
  await stack.stop()
}
