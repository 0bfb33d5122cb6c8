// `npm run bench:webhooks`: events per second from the change (a customer created through the Worker, which records
// `customer.created` and hands it to the endpoint objects; timed from its committed answer) to the first delivery attempt at a local receiver that
// answers at once, with the p50/p99 delay, for 3 endpoints, and any duplicate or missing delivery; then the two layers
// alone (delivery of events the bench commits itself; the change request with no endpoint). The anchor in the same
// run: the same POSTs sent straight to the receiver from a plain Node loop.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { recordEvent } from '../../workers/commerce/events'
import { createDatabase } from '../../workers/db/client'
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
  const last = Math.max(...arrivals.filter((a) => endpoints.includes(a.endpoint)).map((a) => a.at))
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

/** Creates ENDPOINTS endpoints for the tenant behind `headers`, on receiver paths `<prefix>0…`; answers their names. */
async function createEndpoints(base: string, headers: Record<string, string>, receiverUrl: string, prefix: string): Promise<string[]> {
  const names: string[] = []
  for (let i = 0; i < ENDPOINTS; i += 1) {
    const res = await fetch(`${base}/v1/webhooks/endpoints`, { method: 'POST', headers, body: JSON.stringify({ url: `${receiverUrl}/r/${prefix}${i}`, eventTypes: ['customer.created'] }) })
    if (res.status !== 201) throw new Error(`endpoint not created: ${res.status} ${await res.text()}`)
    names.push(`${prefix}${i}`)
  }
  return names
}

/** Waits until every endpoint has received every subject once (or the drain timeout). */
async function drain(arrivals: Arrival[], endpoints: string[], subjects: number): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS
  const wanted = new Set(endpoints)
  const count = () => new Set(arrivals.filter((a) => wanted.has(a.endpoint)).map((a) => `${a.endpoint}:${a.subject}`)).size
  while (Date.now() < deadline && count() < subjects * endpoints.length) await new Promise((resolve) => setTimeout(resolve, 200))
}

const authHeaders = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' })

const receiver = await startReceiver()
const stack = await startBenchStack({ entry: 'scripts/bench/webhooks-worker.ts', tenants: [{ scopes: ['admin'] }, { scopes: ['admin'] }, { scopes: ['admin'] }] })
const database = createDatabase({ url: stack.databaseUrl, maxConnections: CONCURRENCY })
try {
  const [tenant, deliveryTenant, bareTenant] = stack.tenants
  if (!tenant || !deliveryTenant || !bareTenant) throw new Error('no bench tenants')

  // 1. The whole path: a change through the Worker, its hand-off, the endpoint objects, the POST.
  const headers = authHeaders(tenant.key)
  const endpoints = await createEndpoints(stack.base, headers, receiver.url, 'e')
  const starts = new Map<string, number>()
  let refused = 0
  const run = await paced(EVENTS, RATE, CONCURRENCY, async (i) => {
    const res = await fetch(`${stack.base}/v1/customers`, { method: 'POST', headers, body: JSON.stringify({ email: `bench-${i}-${Date.now()}@bench.example`, firstName: 'Bench' }) })
    const body = (await res.json()) as { id?: string }
    // The change has committed once its answer arrives (the hand-off to the endpoints runs after it, in waitUntil).
    if (res.status === 201 && body.id) starts.set(body.id, performance.now())
    else refused += 1
  })
  await drain(receiver.arrivals, endpoints, starts.size)
  const vitrina = figures(starts, receiver.arrivals, endpoints)

  // 2. Delivery alone: the bench commits each event to Postgres itself (as a producer's transaction does) and calls the
  // hand-off, so the Worker's request path for the change is out of the measurement.
  const deliveryEndpoints = await createEndpoints(stack.base, authHeaders(deliveryTenant.key), receiver.url, 'd')
  const deliveryStarts = new Map<string, number>()
  const deliveryRun = await paced(EVENTS, RATE, CONCURRENCY, async (i) => {
    const id = randomUUID()
    await database.db.transaction((tx) => recordEvent(tx, { tenantId: deliveryTenant.id, type: 'customer.created', subjectType: 'customer', subjectId: id, data: { id, email: `bench-${i}@bench.example` } }))
    deliveryStarts.set(id, performance.now())
    const res = await fetch(`${stack.base}/v1/bench/dispatch/${deliveryTenant.id}`, { method: 'POST' })
    await res.arrayBuffer()
  })
  await drain(receiver.arrivals, deliveryEndpoints, deliveryStarts.size)
  const delivery = figures(deliveryStarts, receiver.arrivals, deliveryEndpoints)

  // 3. The change alone: the same POST /v1/customers for a tenant with no endpoint, timed to its answer.
  const bareHeaders = authHeaders(bareTenant.key)
  const answers: number[] = []
  const bareRun = await paced(EVENTS, RATE, CONCURRENCY, async (i) => {
    const started = performance.now()
    const res = await fetch(`${stack.base}/v1/customers`, { method: 'POST', headers: bareHeaders, body: JSON.stringify({ email: `bare-${i}-${Date.now()}@bench.example`, firstName: 'Bench' }) })
    await res.arrayBuffer()
    if (res.status === 201) answers.push(performance.now() - started)
  })
  answers.sort((a, b) => a - b)

  const { figures: anchor, seconds: anchorSeconds } = await anchorRun()
  const ratio = (eventsPerSecond: number) => round(eventsPerSecond / anchor.eventsPerSecond)
  const rows = [
    { variant: 'anchor: Node loop → receiver', ...anchor, changesPerSecond: round(EVENTS / anchorSeconds), ratio: 1 },
    { variant: 'Vitrina: change → first attempt', ...vitrina, changesPerSecond: round(starts.size / run.seconds), ratio: ratio(vitrina.eventsPerSecond) },
    { variant: 'delivery alone: commit → first attempt', ...delivery, changesPerSecond: round(deliveryStarts.size / deliveryRun.seconds), ratio: ratio(delivery.eventsPerSecond) },
    {
      variant: 'change alone: POST /v1/customers answer',
      delivered: '-',
      duplicates: '-',
      missing: '-',
      eventsPerSecond: round(answers.length / bareRun.seconds),
      p50Ms: round(percentile(answers, 50)),
      p99Ms: round(percentile(answers, 99)),
      changesPerSecond: round(answers.length / bareRun.seconds),
      ratio: ratio(answers.length / bareRun.seconds),
    },
  ]
  await report('webhooks', rows, { events: EVENTS, targetRate: RATE, endpoints: ENDPOINTS, refusedChanges: refused, goal: { p99Ms: 1000, underEventsPerSecond: 200 } })
} finally {
  await database.close().catch(() => undefined)
  await stack.stop()
  await receiver.stop()
}
