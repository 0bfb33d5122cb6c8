// Chat benchmark through `wrangler dev`: one room with many shopper sockets (messages/s fanned out, p50/p99 delivery
// from send to the last receiver), and many rooms with 2 sockets each (rooms/s created, messages/s in total). The
// anchor, same run and same workerd: a bare partyserver room that only broadcasts (scripts/bench/chat-worker.ts).
// Delivery latency is measured one message at a time; throughput with a burst (whose latency is mostly queueing).
// Goals: p99 delivery ≤ 50 ms at 100 connections; fan-out ≥ 0.5× the anchor.
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { report } from './report'
import { startBenchStack } from './stack'

const CONNECTIONS = Number(process.env.BENCH_CHAT_CONNECTIONS ?? 100)
/** Messages each socket sends in the fan-out burst; under the room's 20 a minute per connection. */
const PER_SOCKET = Number(process.env.BENCH_CHAT_PER_SOCKET ?? 5)
const ROOMS = Number(process.env.BENCH_CHAT_ROOMS ?? 50)
/**
 * Messages sent one at a time for the delivery latency, rotating over the sockets (10 each at 100 sockets, plus the
 * burst's 5: under the 20 a minute). A p99 needs many samples: of 100, the 99th percentile is the slowest one.
 */
const PACED = Number(process.env.BENCH_CHAT_PACED ?? 1000)

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
const round = (n: number) => Math.round(n * 100) / 100

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** The key a frame is recognised by on receipt: the chat's clientId, or the anchor's raw text. */
type Extract = (data: string) => string | null
const chatKey: Extract = (data) => {
  const frame = JSON.parse(data) as { type: string; message?: { clientId?: string | null } }
  return frame.type === 'message' ? (frame.message?.clientId ?? null) : null
}
const echoKey: Extract = (data) => (JSON.parse(data) as { clientId?: string }).clientId ?? null

/** Every socket sends `perSocket` frames at once; answers deliveries/s and per-message latency to its last receiver. */
async function burst(sockets: WebSocket[], perSocket: number, frame: (id: string) => string, key: Extract) {
  const sentAt = new Map<string, number>()
  const received = new Map<string, number>()
  const lastAt = new Map<string, number>()
  const total = sockets.length * perSocket * sockets.length
  let delivered = 0
  const done = new Promise<void>((resolve) => {
    for (const socket of sockets) {
      socket.on('message', (raw: Buffer) => {
        const id = key(raw.toString())
        if (id === null || !sentAt.has(id)) return
        received.set(id, (received.get(id) ?? 0) + 1)
        lastAt.set(id, performance.now())
        delivered += 1
        if (delivered === total) resolve()
      })
    }
  })
  const started = performance.now()
  for (let round = 0; round < perSocket; round += 1) {
    for (const [index, socket] of sockets.entries()) {
      const id = `m-${index}-${round}-${Math.random().toString(36).slice(2, 8)}`
      sentAt.set(id, performance.now())
      socket.send(frame(id))
    }
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))])
  const seconds = (performance.now() - started) / 1000
  const latencies = [...sentAt].map(([id, at]) => (lastAt.get(id) ?? Number.NaN) - at).filter(Number.isFinite)
  for (const socket of sockets) socket.removeAllListeners('message')
  return { deliveries: delivered, expected: total, perSecond: delivered / seconds, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) }
}

/**
 * One message at a time, each from the next socket, waiting until every socket has it: delivery latency without queueing.
 * The first message wakes a cold room (its first storage and Postgres work), so it is answered apart from the percentiles.
 */
async function paced(sockets: WebSocket[], count: number, frame: (id: string) => string, key: Extract) {
  const latencies: number[] = []
  for (let i = 0; i <= count; i += 1) {
    const id = `p-${i}-${Math.random().toString(36).slice(2, 8)}`
    let pending = sockets.length
    const started = performance.now()
    const all = new Promise<void>((resolve) => {
      for (const socket of sockets) {
        const onMessage = (raw: Buffer) => {
          if (key(raw.toString()) !== id) return
          socket.off('message', onMessage)
          pending -= 1
          if (pending === 0) resolve()
        }
        socket.on('message', onMessage)
      }
    })
    sockets[i % sockets.length]?.send(frame(id))
    await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))])
    latencies.push(performance.now() - started)
    for (const socket of sockets) socket.removeAllListeners('message')
  }
  const [firstMs = Number.NaN, ...warm] = latencies
  return { firstMs, p50Ms: pct(warm, 50), p99Ms: pct(warm, 99) }
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ entry: 'scripts/bench/chat-worker.ts', tenants: [{ scopes: ['storefront'], settings: { assistant: { enabled: false } } }] })
  const wsBase = stack.base.replace(/^http/, 'ws')
  const tenant = stack.tenants[0]
  if (!tenant) throw new Error('no bench tenant')
  try {
    const startChat = async () => {
      const res = await fetch(`${stack.base}/v1/chats`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': tenant.key }, body: '{}' })
      if (res.status !== 201) throw new Error(`chat not started: ${res.status} ${await res.text()}`)
      return (await res.json()) as { id: string; secret: string }
    }
    const shopperUrl = (chat: { id: string; secret: string }) => `${wsBase}/v1/chats/${chat.id}/live?key=${encodeURIComponent(tenant.key)}&secret=${encodeURIComponent(chat.secret)}`
    const message = (id: string) => JSON.stringify({ type: 'message', clientId: id, text: `hola ${id}` })

    const anchorSockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(`${wsBase}/v1/bench/echo/fanout`)))
    const anchorPaced = await paced(anchorSockets, PACED, message, echoKey)
    const anchor = await burst(anchorSockets, PER_SOCKET, message, echoKey)
    const chat = await startChat()
    const chatSockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(shopperUrl(chat))))
    const roomPaced = await paced(chatSockets, PACED, message, chatKey)
    const room = await burst(chatSockets, PER_SOCKET, message, chatKey)
    for (const socket of [...anchorSockets, ...chatSockets]) socket.close()

    const roomsStarted = performance.now()
    const chats = await Promise.all(Array.from({ length: ROOMS }, startChat))
    const roomsPerSecond = ROOMS / ((performance.now() - roomsStarted) / 1000)
    const pairs = await Promise.all(chats.map(async (c) => Promise.all([open(shopperUrl(c)), open(shopperUrl(c))])))
    const many = await Promise.all(pairs.map((pair) => burst(pair, PER_SOCKET, message, chatKey)))
    const totalDeliveries = many.reduce((sum, r) => sum + r.deliveries, 0)
    const slowest = Math.max(...many.map((r) => r.deliveries / r.perSecond))
    for (const pair of pairs) for (const socket of pair) socket.close()

    const rows = [
      { variant: `anchor: bare broadcast room, ${CONNECTIONS} sockets`, deliveries: anchor.deliveries, perSecond: round(anchor.perSecond), burstP99Ms: round(anchor.p99Ms), firstMs: round(anchorPaced.firstMs), p50Ms: round(anchorPaced.p50Ms), p99Ms: round(anchorPaced.p99Ms), ratio: 1 },
      { variant: `chat room, ${CONNECTIONS} shopper sockets`, deliveries: room.deliveries, perSecond: round(room.perSecond), burstP99Ms: round(room.p99Ms), firstMs: round(roomPaced.firstMs), p50Ms: round(roomPaced.p50Ms), p99Ms: round(roomPaced.p99Ms), ratio: round(room.perSecond / anchor.perSecond) },
      { variant: `${ROOMS} rooms × 2 sockets`, deliveries: totalDeliveries, perSecond: round(totalDeliveries / slowest), burstP99Ms: round(pct(many.map((r) => r.p99Ms), 99)), firstMs: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN, ratio: Number.NaN },
    ]
    await report('chat', rows, { connections: CONNECTIONS, perSocket: PER_SOCKET, pacedMessages: PACED, rooms: ROOMS, roomsCreatedPerSecond: round(roomsPerSecond), expected: { anchor: anchor.expected, room: room.expected }, goals: { p99DeliveryMs: 50, fanOutRatio: 0.5 } })
    console.log(`rooms created per second: ${round(roomsPerSecond)}`)
  } finally {
    await stack.stop()
  }
}

await main()
