// Durable Objects survive a crash: SIGKILL the real workerd in the middle of a burst of stock operations, cart lines and
// chat messages, restart wrangler dev on the same persisted state, and check acknowledged work is kept, nothing is half
// applied, and the outboxes deliver to Postgres.
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { migrateDatabase } from '../../scripts/db/migrate'
import { startEmbeddedPostgres } from '../../scripts/db/embedded-postgres'
import { createThrowawayDatabase } from '../../scripts/db/throwaway-database'
import { freePort, startService, stopService, waitForHttp, type Service } from '../../scripts/dev/processes'
import { workerVarArgs } from '../../scripts/dev/worker-vars'
import { generateKey } from '../../workers/auth/api-key-format'
import { createDatabase, queryRows, type DatabaseClient } from '../../workers/db/client'
import { sha256Hex } from '../../workers/lib/crypto'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SKUS = ['CRASH-A', 'CRASH-B']
const START_STOCK = 1_000
/** Few enough that a conversation's history is one page. */
const MESSAGES_PER_CHAT = 20

let database: { url: string; stop: () => Promise<void> }
let client: DatabaseClient
let scratch: string
let port: number
let worker: Service | undefined
let key = ''
/** A publishable key: shoppers chat with it and the conversation's secret. */
let shopperKey = ''
let tenantId = ''

const base = (): string => `http://127.0.0.1:${port}`

function startWorker(): Service {
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', join(scratch, 'wrangler'), '--show-interactive-dev-session=false', '--log-level', 'error']
  return startService('worker', join(root, 'node_modules/.bin/wrangler'), [...args, ...workerVarArgs(process.env)], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      JWT_SECRET: 'crash-test-secret-crash-test-secret-crash',
      AI_CREDENTIALS_KEY: 'Y3Jhc2gta2V5LWZvci1haS1jcmVkZW50aWFscy0zMiE=',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    },
  })
}

/** Process ids of every workerd below `pid` (wrangler runs workerd as a child, sometimes through a shell). */
function workerdBelow(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm=']).toString().trim().split('\n')
  const rows = table.map((line) => line.trim().split(/\s+/)).map(([p, pp, comm]) => ({ pid: Number(p), ppid: Number(pp), comm: comm ?? '' }))
  const found: number[] = []
  const walk = (parent: number): void => {
    for (const row of rows.filter((candidate) => candidate.ppid === parent)) {
      if (row.comm.startsWith('workerd')) found.push(row.pid)
      walk(row.pid)
    }
  }
  walk(pid)
  return found
}

async function call<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; apiKey?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base()}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'x-api-key': init.apiKey ?? key, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
}

/** Polls `check` until it answers true (conditions, not sleeps: the machine is busy). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'vitrina-crash-'))
  const server = process.env.DATABASE_URL
  if (server) {
    const created = await createThrowawayDatabase(server, 'vitrina_crash')
    database = { url: created.url, stop: created.drop }
  } else database = await startEmbeddedPostgres()
  await migrateDatabase({ url: database.url })
  client = createDatabase({ url: database.url, driver: 'pg', maxConnections: 2 })
  await client.db.execute(sql`insert into plans (id, name, price_cents, requests_per_minute) values ('crash', 'Crash', 0, 100000000)`)
  const [tenant] = await queryRows<{ id: string }>(client.db, sql`insert into tenants (name, slug, plan, settings) values ('Crash', 'crash', 'crash', '{"assistant":{"enabled":false}}'::jsonb) returning id`)
  if (!tenant) throw new Error('tenant not created')
  tenantId = tenant.id
  const secret = generateKey('secret')
  const shopper = generateKey('publishable')
  key = secret.key
  shopperKey = shopper.key
  await client.db.execute(sql`insert into api_keys (tenant_id, name, prefix, key_hash, scopes) values (${tenantId}, 'crash', ${secret.prefix}, ${await sha256Hex(key)}, '{admin}')`)
  await client.db.execute(sql`insert into api_keys (tenant_id, name, prefix, key_hash, scopes) values (${tenantId}, 'shop', ${shopper.prefix}, ${await sha256Hex(shopperKey)}, '{storefront}')`)
  port = await freePort()
  worker = startWorker()
  await waitForHttp(`${base()}/v1/health`, 180_000)
  for (const sku of SKUS) {
    const product = await call('/v1/products', { body: { name: sku, status: 'active', variants: [{ sku, price: 1000, currency: 'EUR' }] } })
    expect(product.status).toBe(201)
    const adjusted = await call('/v1/inventory/adjust', { body: { lines: [{ sku, location: 'main', delta: START_STOCK }] }, headers: { 'idempotency-key': `seed-${sku}` } })
    expect(adjusted.status).toBe(200)
  }
}, 300_000)

afterAll(async () => {
  if (worker) await stopService(worker)
  await client?.close()
  await database?.stop()
  if (scratch) await rm(scratch, { recursive: true, force: true })
}, 60_000)

interface Acks {
  stock: { key: string; sku: string }[]
  lines: { cartId: string; sku: string; quantity: number }[]
  messages: { chatId: string; clientId: string }[]
}

/** Runs stock, cart and chat traffic until `stop()` says so; answers what was acknowledged. */
async function burst(acks: Acks, stopped: () => boolean, carts: string[], chats: { id: string; socket: WebSocket }[]): Promise<void> {
  let n = 0
  const stockLoop = async () => {
    while (!stopped()) {
      const sku = SKUS[n % SKUS.length] ?? 'CRASH-A'
      const idempotencyKey = `op-${n}`
      const path = n % 3 === 0 ? '/v1/inventory/adjust' : '/v1/inventory/reduce'
      const body = n % 3 === 0 ? { lines: [{ sku, location: 'main', delta: 2 }] } : { lines: [{ sku, quantity: 1 }] }
      n += 1
      const res = await call(path, { body, headers: { 'idempotency-key': idempotencyKey } }).catch(() => null)
      if (res?.status === 200) acks.stock.push({ key: idempotencyKey, sku })
    }
  }
  let line = 0
  const cartLoop = async () => {
    while (!stopped()) {
      const cartId = carts[line % carts.length] ?? ''
      const sku = SKUS[line % SKUS.length] ?? 'CRASH-A'
      line += 1
      const res = await call(`/v1/carts/${cartId}/items`, { body: { sku, quantity: 1 } }).catch(() => null)
      if (res?.status === 200) acks.lines.push({ cartId, sku, quantity: 1 })
    }
  }
  const chatLoop = async ({ id, socket }: { id: string; socket: WebSocket }) => {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; message?: { clientId?: string | null } }
      const clientId = frame.type === 'message' ? frame.message?.clientId : undefined
      if (clientId) acks.messages.push({ chatId: id, clientId })
    })
    let m = 0
    while (!stopped() && socket.readyState === WebSocket.OPEN && m < MESSAGES_PER_CHAT) {
      socket.send(JSON.stringify({ type: 'message', clientId: `${id}-${m}`, text: `hola ${m}` }))
      m += 1
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  await Promise.all([stockLoop(), stockLoop(), cartLoop(), ...chats.map(chatLoop)])
}

async function ledgerOf(sku: string): Promise<{ idempotencyKey: string | null; delta: number; reservedDelta: number }[]> {
  const entries: { idempotencyKey: string | null; delta: number; reservedDelta: number }[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}&limit=100` : '?limit=100'
    const page = await call<{ data: typeof entries; nextCursor: string | null }>(`/v1/inventory/${sku}/ledger${query}`)
    expect(page.status).toBe(200)
    entries.push(...page.body.data)
    cursor = page.body.nextCursor
  } while (cursor)
  return entries
}

describe('a crash of the runtime', () => {
  it('keeps every acknowledged operation, half-applies none, and the outboxes resume', async () => {
    const carts: string[] = []
    for (let i = 0; i < 2; i += 1) {
      const cart = await call<{ id: string }>('/v1/carts', { body: { currency: 'EUR' } })
      expect(cart.status).toBe(201)
      carts.push(cart.body.id)
    }
    const chats: { id: string; socket: WebSocket }[] = []
    for (let i = 0; i < 2; i += 1) {
      const chat = await call<{ id: string; secret: string }>('/v1/chats', { body: {}, apiKey: shopperKey })
      expect(chat.status).toBe(201)
      const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/chats/${chat.body.id}/live?key=${encodeURIComponent(shopperKey)}&secret=${encodeURIComponent(chat.body.secret)}`)
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
      socket.on('error', () => {})
      chats.push({ id: chat.body.id, socket })
    }

    let stop = false
    const acks: Acks = { stock: [], lines: [], messages: [] }
    const traffic = burst(acks, () => stop, carts, chats)
    const first = worker
    if (!first?.child.pid) throw new Error('no worker')
    // Kill mid-burst: once some of every kind of operation has been acknowledged, while more are in flight.
    await until('traffic before the crash', async () => acks.stock.length >= 20 && acks.lines.length >= 6 && acks.messages.length >= 6)
    const workerds = workerdBelow(first.child.pid)
    expect(workerds.length, 'a workerd process under wrangler').toBeGreaterThan(0)
    for (const pid of workerds) process.kill(pid, 'SIGKILL')
    process.kill(-first.child.pid, 'SIGKILL')
    await first.exited
    stop = true
    for (const chat of chats) chat.socket.terminate()
    await traffic
    expect(acks.stock.length).toBeGreaterThan(0)

    worker = startWorker()
    await waitForHttp(`${base()}/v1/health`, 180_000)

    for (const sku of SKUS) {
      const ledger = await ledgerOf(sku)
      const keys = new Set(ledger.map((entry) => entry.idempotencyKey))
      const missing = acks.stock.filter((ack) => ack.sku === sku && !keys.has(ack.key)).map((ack) => ack.key)
      expect(missing, `acknowledged ${sku} operations missing from the ledger`).toEqual([])
      const level = await call<{ data: { location: string; onHand: number; reserved: number }[] }>(`/v1/inventory?sku=${sku}`)
      const main = level.body.data.find((row) => row.location === 'main')
      expect(main?.onHand).toBe(ledger.reduce((sum, entry) => sum + entry.delta, 0))
      expect(main?.reserved).toBe(ledger.reduce((sum, entry) => sum + entry.reservedDelta, 0))
      // Replaying an acknowledged key changes nothing.
      const replayed = acks.stock.find((ack) => ack.sku === sku)
      if (replayed) {
        await call('/v1/inventory/reduce', { body: { lines: [{ sku, quantity: 1 }] }, headers: { 'idempotency-key': replayed.key } })
        expect((await ledgerOf(sku)).length).toBe(ledger.length)
      }
      // The read model in Postgres catches up with the object.
      await until(`inventory_levels of ${sku}`, async () => {
        const [row] = await queryRows<{ onHand: number; reserved: number }>(
          client.db,
          sql`select on_hand as "onHand", reserved from inventory_levels where tenant_id = ${tenantId} and sku = ${sku} and location = 'main'`,
        )
        return row?.onHand === main?.onHand && row?.reserved === main?.reserved
      })
    }

    // Cart lines: every acknowledged add is there, and the carts' units equal the inventory's reservations.
    const reservedByCarts = new Map<string, number>()
    for (const cartId of carts) {
      const cart = await call<{ lines: { sku: string; quantity: number }[] }>(`/v1/carts/${cartId}`)
      expect(cart.status).toBe(200)
      for (const sku of SKUS) {
        const acknowledged = acks.lines.filter((ack) => ack.cartId === cartId && ack.sku === sku).length
        const quantity = cart.body.lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0)
        expect(quantity, `cart ${cartId} ${sku}`).toBeGreaterThanOrEqual(acknowledged)
        reservedByCarts.set(sku, (reservedByCarts.get(sku) ?? 0) + quantity)
      }
      // The carts' outbox brings their summaries in Postgres up to date.
      const units = cart.body.lines.reduce((sum, l) => sum + l.quantity, 0)
      await until(`cart_summaries of ${cartId}`, async () => {
        const [row] = await queryRows<{ units: number }>(client.db, sql`select units_reserved as units from cart_summaries where tenant_id = ${tenantId} and id = ${cartId}`)
        return row?.units === units
      })
    }
    for (const sku of SKUS) {
      const level = await call<{ data: { location: string; reserved: number }[] }>(`/v1/inventory?sku=${sku}`)
      expect(level.body.data.find((row) => row.location === 'main')?.reserved, `reservations of ${sku}`).toBe(reservedByCarts.get(sku) ?? 0)
    }

    // Chat: acknowledged messages are kept, seqs contiguous, and the history reaches Postgres.
    for (const chat of chats) {
      const history = await call<{ data: { seq: number; clientId: string | null }[] }>(`/v1/chats/${chat.id}/messages`)
      expect(history.status).toBe(200)
      const ids = new Set(history.body.data.map((message) => message.clientId))
      expect(acks.messages.filter((ack) => ack.chatId === chat.id && !ids.has(ack.clientId)).map((ack) => ack.clientId)).toEqual([])
      expect(history.body.data.map((message) => message.seq)).toEqual(history.body.data.map((_, index) => index + 1))
      await until(`chat_messages of ${chat.id}`, async () => {
        const [row] = await queryRows<{ n: number }>(client.db, sql`select count(*)::int as n from chat_messages where tenant_id = ${tenantId} and conversation_id = ${chat.id}`)
        return row?.n === history.body.data.length
      })
    }
  }, 600_000)
})
