// `npm run bench:webhooks`: events per second from the change (a customer created through the Worker, which records
// `customer.created` and hands it to the endpoint objects; timed from its committed answer) to the first delivery attempt at a local receiver that
// answers at once, with the p50/p99 delay, for 3 endpoints, and any duplicate or missing delivery. The anchor in the
// same run: the same POSTs sent straight to the receiver from a plain Node loop.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { report } from './report'
import { startBenchStack } from './stack'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 600)
/** Target rate of changes per second (the goal: p99 delay ≤ 1 s under 200 events/s). */
const RATE = Number(process.env.BENCH_RATE ?? 200)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const ENDPOINTS = 3
const DRAIN_TIMEOUT_MS = 120_000

interface Arrival {
  endpoint: string
  webhookId: string
  subject: string
  at: number
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (c: Buffer) => (data += c.toString()))
    req.on('end', () => resolve(data))
  })

/** A receiver answering 204 at once and recording when each delivery arrived. */
async function startReceiver(): Promise<{ url: string; arrivals: Arrival[]; stop: () => Promise<void> }> {
  const arrivals: Arrival[] = []
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const at = performance.now()
      const endpoint = (req.url ?? '').split('/').pop() ?? ''
      const parsed = JSON.parse(body) as { data?: { id?: string } }
      arrivals.push({ endpoint, webhookId: String(req.headers['webhook-id'] ?? ''), subject: parsed.data?.id ?? '', at })
      res.writeHead(204).end()
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, arrivals, stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
const round = (n: number) => Math.round(n * 100) / 100

/** Runs `send(i)` for i < count, paced at `rate` per second with at most `concurrency` in flight; answers each one's start time. */
async function paced(count: number, rate: number, concurrency: number, send: (i: number) => Promise<void>): Promise<{ starts: number[]; seconds: number }> {
  const starts: number[] = []
  const t0 = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++
        const due = t0 + (i * 1000) / rate
        const wait = due - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        starts[i] = performance.now()
        await send(i)
      }
    }),
  )
  return { starts, seconds: (performance.now() - t0) / 1000 }
}

/** Delay and throughput figures of one run from its change times and arrivals. */
function figures(starts: Map<string, number>, arrivals: Arrival[], endpoints: string[]) {
  const delays: number[] = []
  let duplicates = 0
  let missing = 0
  for (const endpoint of endpoints) {
    const seen = new Map<string, number>()
    for (const a of arrivals.filter((x) => x.endpoint === endpoint)) {
      if (seen.has(a.subject)) duplicates += 1
      else seen.set(a.subject, a.at)
    }
    for (const [subject, start] of starts) {
      const at = seen.get(subject)
      if (at === undefined) missing += 1
      else delays.push(at - start)
    }
  }
  delays.sort((a, b) => a - b)
  const first = Math.min(...starts.values())
  const last = Math.max(...arrivals.map((a) => a.at))
  return { delivered: delays.length, duplicates, missing, eventsPerSecond: round(delays.length / ENDPOINTS / ((last - first) / 1000)), p50Ms: round(percentile(delays, 50)), p99Ms: round(percentile(delays, 99)) }
}

/** The anchor: the same bodies POSTed straight to a fresh receiver, one per endpoint, at the same pace. */
async function anchorRun(): Promise<{ figures: ReturnType<typeof figures>; seconds: number }> {
  const receiver = await startReceiver()
  try {
    const starts = new Map<string, number>()
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => `anchor${i}`)
    const run = await paced(EVENTS, RATE, CONCURRENCY, async (i) => {
      const subject = `anchor-${i}`
      starts.set(subject, performance.now())
      const body = JSON.stringify({ type: 'customer.created', timestamp: new Date().toISOString(), data: { id: subject, email: `${subject}@bench.example` } })
      await Promise.all(endpoints.map((e) => fetch(`${receiver.url}/r/${e}`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': subject }, body }).then((r) => r.arrayBuffer())))
    })
    return { figures: figures(starts, receiver.arrivals, endpoints), seconds: run.seconds }
  } finally {
    await receiver.stop()
  }
}

const receiver = await startReceiver()
const stack = await startBenchStack({ tenants: [{ scopes: ['admin'] }] })
try {
  const [tenant] = stack.tenants
  if (!tenant) throw new Error('no bench tenant')
  const headers = { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' }
  const endpoints: string[] = []
  for (let i = 0; i < ENDPOINTS; i += 1) {
    const res = await fetch(`${stack.base}/v1/webhooks/endpoints`, { method: 'POST', headers, body: JSON.stringify({ url: `${receiver.url}/r/e${i}`, eventTypes: ['customer.created'] }) })
    if (res.status !== 201) throw new Error(`endpoint not created: ${res.status} ${await res.text()}`)
    endpoints.push(`e${i}`)
  }
  const starts = new Map<string, number>()
  let refused = 0
  const run = await paced(EVENTS, RATE, CONCURRENCY, async (i) => {
    const res = await fetch(`${stack.base}/v1/customers`, { method: 'POST', headers, body: JSON.stringify({ email: `bench-${i}-${Date.now()}@bench.example`, firstName: 'Bench' }) })
    const body = (await res.json()) as { id?: string }
    // The change has committed once its answer arrives (the hand-off to the endpoints runs after it, in waitUntil).
    if (res.status === 201 && body.id) starts.set(body.id, performance.now())
    else refused += 1
  })
  const deadline = Date.now() + DRAIN_TIMEOUT_MS
  while (Date.now() < deadline && new Set(receiver.arrivals.map((a) => `${a.endpoint}:${a.subject}`)).size < starts.size * ENDPOINTS) await new Promise((resolve) => setTimeout(resolve, 200))
  const vitrina = figures(starts, receiver.arrivals, endpoints)
  const { figures: anchor, seconds: anchorSeconds } = await anchorRun()
  const changesPerSecond = round(starts.size / run.seconds)
  const rows = [
    { variant: 'anchor: Node loop → receiver', ...anchor, changesPerSecond: round(EVENTS / anchorSeconds), ratio: 1 },
    { variant: 'Vitrina: change → first attempt', ...vitrina, changesPerSecond, ratio: round(vitrina.eventsPerSecond / anchor.eventsPerSecond) },
  ]
  await report('webhooks', rows, { events: EVENTS, targetRate: RATE, endpoints: ENDPOINTS, refusedChanges: refused, goal: { p99Ms: 1000, underEventsPerSecond: 200 } })
} finally {
  await stack.stop()
  await receiver.stop()
}
