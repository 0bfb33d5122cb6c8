// `npm run bench:auth`: requests/s, p50/p99 and runtime CPU per request of GET /v1/tenant with an API key (the app's
// middleware, key check and rate limit) against the same handler with none of them, in the same workerd, in the same
// run; straight at the Worker's runtime and through `wrangler dev`'s proxy. Rounds alternate so drift hits both alike.
import { withCpu, type CpuFigures } from './direct-runtime'
import { runLoad, type LoadResult } from './load'
import { report } from './report'
import { startBenchStack } from './stack'

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
/** The bare handler's path in scripts/bench/auth-worker.ts. */
const BARE_TENANT_PATH = '/v1/bench/tenant'

type Measured = LoadResult & CpuFigures

/** Sums alternating rounds: throughput over the whole time, the worst round's percentiles, CPU per request overall. */
function combine(results: Measured[]) {
  const requests = results.reduce((n, r) => n + r.requests, 0)
  const seconds = results.reduce((n, r) => n + r.seconds, 0)
  const cpuMs = results.reduce((n, r) => n + (r.cpuMsPerRequest.runtime ?? Number.NaN) * r.requests, 0)
  return {
    rps: Math.round((requests / seconds) * 10) / 10,
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    runtimeCpuMsPerRequest: Math.round((cpuMs / requests) * 100) / 100,
  }
}

const stack = await startBenchStack({ entry: 'scripts/bench/auth-worker.ts', tenants: [{ scopes: ['read'] }] })
const [tenant] = stack.tenants
if (!tenant) throw new Error('bench tenant missing')

try {
  const targets = [...(stack.runtimes ? [{ name: 'workerd without the dev proxy', base: stack.runtimes.runtimeBase }] : []), { name: 'wrangler dev', base: stack.base }]
  const rows: Record<string, string | number>[] = []
  const detail: Record<string, unknown> = {}
  for (const { name, base } of targets) {
    const withKey = () => fetch(`${base}/v1/tenant`, { headers: { 'x-api-key': tenant.key } })
    const bare = () => fetch(`${base}${BARE_TENANT_PATH}`, { headers: { 'x-bench-tenant': tenant.id } })
    for (const request of [bare, withKey]) {
      const probe = await request()
      if (!probe.ok || !probe.headers.get('content-type')?.includes('application/json')) throw new Error(`${name}: ${probe.url} answered ${probe.status} ${probe.headers.get('content-type')}`)
      await probe.arrayBuffer()
      await runLoad(request, CONCURRENCY, 2)
    }
    const measure = (request: () => Promise<Response>) => withCpu({ runtime: stack.runtimes?.runtimePid }, () => runLoad(request, CONCURRENCY, SECONDS / ROUNDS))
    const rounds: { bare: Measured; key: Measured }[] = []
    for (let round = 0; round < ROUNDS; round++) rounds.push({ bare: await measure(bare), key: await measure(withKey) })
    const bareTotal = combine(rounds.map((r) => r.bare))
    const keyTotal = combine(rounds.map((r) => r.key))
    rows.push(
      { variant: `bare handler (anchor), ${name}`, ...bareTotal, ratio: 1, 'p50 ×': 1 },
      {
        variant: `API key + rate limit, ${name}`,
        ...keyTotal,
        ratio: Math.round((keyTotal.rps / bareTotal.rps) * 1000) / 1000,
        'p50 ×': Math.round((keyTotal.p50Ms / bareTotal.p50Ms) * 100) / 100,
      },
    )
    detail[name] = rounds
  }
  await report('auth', rows, {
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    rounds: ROUNDS,
    database: stack.databaseLabel,
    detail,
    notes: 'ratio: requests/s against the bare handler in the same runtime; p50 ×: p50 latency against it. Runtime CPU from /proc of the Worker runtime process.',
  })
} finally {
  await stack.stop()
}
