// AI gateway benchmark: against a local provider that answers at once, the gateway's added latency and added time to
// first token versus calling the provider directly (same run), and the failover cost while the primary is down
// (hanging), with its breaker closed at the start versus already open. Goals: ≤ 5 ms p50 overhead; open breaker ≤ 5 ms.
import { performance } from 'node:perf_hooks'
import { startFakeAi } from '../../tests/helpers/fake-ai'
import { report } from './report'
import { startBenchStack, type BenchTenant } from './stack'

const CALLS = Number(process.env.BENCH_AI_CALLS ?? 200)
const DOWN_TIMEOUT_MS = 1_000

interface Timing {
  totalMs: number
  ttftMs: number
  /** The gateway's own Server-Timing entries (ms by step), when it sent them. */
  steps: Record<string, number>
}

/** `auth;dur=1.2, breaker;dur=0.4` → `{ auth: 1.2, breaker: 0.4 }`. */
function parseServerTiming(header: string | null): Record<string, number> {
  const steps: Record<string, number> = {}
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';')
    const dur = params.find((p) => p.trim().startsWith('dur='))
    if (name && dur) steps[name] = (steps[name] ?? 0) + Number(dur.trim().slice(4))
  }
  return steps
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
const round = (n: number) => Math.round(n * 100) / 100

async function timedStream(url: string, headers: Record<string, string>): Promise<Timing> {
  const t0 = performance.now()
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true }) })
  if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}: ${await res.text()}`)
  const reader = res.body.getReader()
  let ttftMs = Number.NaN
  for (;;) {
    const { done } = await reader.read()
    if (Number.isNaN(ttftMs)) ttftMs = performance.now() - t0
    if (done) break
  }
  return { totalMs: performance.now() - t0, ttftMs, steps: parseServerTiming(res.headers.get('server-timing')) }
}

async function series(count: number, call: () => Promise<Timing>): Promise<Timing[]> {
  const out: Timing[] = []
  for (let i = 0; i < count; i += 1) out.push(await call())
  return out
}

async function addProvider(base: string, tenant: BenchTenant, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${base}/v1/ai/providers`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': tenant.key }, body: JSON.stringify(body) })
  if (res.status !== 201) throw new Error(`provider creation failed: ${res.status} ${await res.text()}`)
}

async function main(): Promise<void> {
  const fake = await startFakeAi()
  await fetch(`${fake.url}/ctl/down`, { method: 'POST', body: JSON.stringify({ steps: [{ kind: 'hang' }] }) })
  const stack = await startBenchStack({ tenants: [{ scopes: ['admin'] }, { scopes: ['admin'] }, { scopes: ['admin'] }] })
  try {
    const [direct, closed, open] = stack.tenants as [BenchTenant, BenchTenant, BenchTenant]
    const up = { kind: 'openai-compatible', model: 'fake', apiKey: 'sk-bench-key', baseUrl: `${fake.url}/p/up/v1` }
    const down = { ...up, name: 'down', baseUrl: `${fake.url}/p/down/v1`, firstTokenTimeoutMs: DOWN_TIMEOUT_MS }
    await addProvider(stack.base, direct, { ...up, name: 'up' })
    for (const tenant of [closed, open]) {
      await addProvider(stack.base, tenant, down)
      await addProvider(stack.base, tenant, { ...up, name: 'up' })
    }
    const gateway = (tenant: BenchTenant, base = stack.base) => () => timedStream(`${base}/v1/ai/chat/completions`, { 'x-api-key': tenant.key })
    const provider = () => timedStream(`${fake.url}/p/up/v1/chat/completions`, { authorization: 'Bearer sk-bench-key' })
    // The floor of the runtime itself: a route-less request (404 from the not-found handler, no I/O).
    const floor = (base: string) => async (): Promise<Timing> => {
      const t0 = performance.now()
      const res = await fetch(`${base}/bench-floor`)
      await res.arrayBuffer()
      const totalMs = performance.now() - t0
      return { totalMs, ttftMs: totalMs, steps: {} }
    }
    const runtime = stack.runtimes?.runtimeBase
    if (!runtime) console.warn('the Worker runtime behind the dev proxy was not found; only figures through the proxy follow')

    await series(20, gateway(direct))
    await series(20, provider)
    const providerRuns = await series(CALLS, provider)
    const floorRuns = await series(CALLS, floor(stack.base))
    const gatewayRuns = await series(CALLS, gateway(direct))
    const closedRuns = await series(CALLS, gateway(closed))
    await series(10, gateway(open))
    const openRuns = await series(CALLS, gateway(open))
    const runtimeFloorRuns = runtime ? await series(CALLS, floor(runtime)) : []
    const runtimeGatewayRuns = runtime ? await series(CALLS, gateway(direct, runtime)) : []
    const runtimeOpenRuns = runtime ? await series(CALLS, gateway(open, runtime)) : []

    const stat = (runs: Timing[], key: 'totalMs' | 'ttftMs', p: number) => round(pct(runs.map((r) => r[key]), p))
    const directP50 = stat(providerRuns, 'totalMs', 50)
    const row = (measure: string, runs: Timing[]) => ({
      measure,
      p50Ms: stat(runs, 'totalMs', 50),
      p99Ms: stat(runs, 'totalMs', 99),
      ttftP50Ms: stat(runs, 'ttftMs', 50),
      ratioP50: round(stat(runs, 'totalMs', 50) / directP50),
    })
    const rows = [
      row('provider direct', providerRuns),
      row('runtime floor (404, no I/O), via dev proxy', floorRuns),
      row('through the gateway', gatewayRuns),
      row('primary down, breaker closed at start', closedRuns),
      row('primary down, breaker open', openRuns),
      ...(runtime
        ? [row('runtime floor, runtime direct', runtimeFloorRuns), row('through the gateway, runtime direct', runtimeGatewayRuns), row('primary down, breaker open, runtime direct', runtimeOpenRuns)]
        : []),
    ]
    const added = (runs: Timing[], against: Timing[], key: 'totalMs' | 'ttftMs', p: number) => round(stat(runs, key, p) - stat(against, key, p))
    const overhead = {
      addedP50Ms: added(gatewayRuns, providerRuns, 'totalMs', 50),
      addedP99Ms: added(gatewayRuns, providerRuns, 'totalMs', 99),
      addedTtftP50Ms: added(gatewayRuns, providerRuns, 'ttftMs', 50),
      downOpenAddedP50Ms: added(openRuns, gatewayRuns, 'totalMs', 50),
      downOpenAddedP99Ms: added(openRuns, gatewayRuns, 'totalMs', 99),
      downClosedP99Ms: stat(closedRuns, 'totalMs', 99),
      ...(runtime
        ? {
            runtimeDirectAddedP50Ms: added(runtimeGatewayRuns, providerRuns, 'totalMs', 50),
            runtimeDirectAddedTtftP50Ms: added(runtimeGatewayRuns, providerRuns, 'ttftMs', 50),
            runtimeDirectAddedOverFloorP50Ms: round(stat(runtimeGatewayRuns, 'totalMs', 50) - stat(runtimeFloorRuns, 'totalMs', 50) - directP50),
            runtimeDirectDownOpenAddedP50Ms: added(runtimeOpenRuns, runtimeGatewayRuns, 'totalMs', 50),
          }
        : {}),
    }
    // The p50 of each step the gateway reported (Server-Timing), for the breakdown of where its time goes.
    const steps = (runs: Timing[]) => {
      const names = [...new Set(runs.flatMap((r) => Object.keys(r.steps)))]
      return Object.fromEntries(names.map((n) => [n, round(pct(runs.map((r) => r.steps[n] ?? 0), 50))]))
    }
    const breakdown = { gateway: steps(gatewayRuns), primaryDownBreakerOpen: steps(openRuns), ...(runtime ? { gatewayRuntimeDirect: steps(runtimeGatewayRuns) } : {}) }
    console.log(overhead, breakdown)
    await report('ai', rows, { calls: CALLS, downFirstTokenTimeoutMs: DOWN_TIMEOUT_MS, runtimeBase: runtime ?? null, overhead, breakdown, goals: { addedP50Ms: 5, downOpenAddedMs: 5 } })
  } finally {
    await stack.stop()
    await fake.stop()
  }
}

await main()
