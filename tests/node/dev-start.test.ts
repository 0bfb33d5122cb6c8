// `npm start` end to end: ready (banner printed) on embedded defaults with the demo data complete the moment the banner
// prints, a valid OpenAPI 3.1 document, nothing left running after SIGTERM, and the data kept (not seeded again) on the next start.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Validator } from '@seriousme/openapi-schema-validator'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/dev/processes'
import { createDatabase } from '../../workers/db/client'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** Generous: the first start builds the UI, migrates, renders and uploads 100 demo images; 2 shared cores may be busy. */
const HEALTHY_WITHIN_MS = 150_000

/** Every process whose parent chain leads to `pid`, read from /proc. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    parents.set(Number(entry), ppid)
  }
  const found: number[] = []
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child)
        visit(child)
      }
    }
  }
  visit(pid)
  return found
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

interface Stack {
  npm: ChildProcess
  base: string
  databaseUrl: string
}

/** Resolves when `npm start` prints its sign-in banner; rejects when it exits first. */
function bannerPrinted(npm: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    npm.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Sign in as')) resolve()
    })
    npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before its banner`)))
  })
}

async function start(dataDir: string, ports: { http: number; pg: number; clip: number }): Promise<Stack> {
  const npm = spawn('npm', ['start'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      VITRINA_DATA_DIR: dataDir,
      PORT: String(ports.http),
      EMBEDDED_PG_PORT: String(ports.pg),
      CLIP_PORT: String(ports.clip),
      CLIP_ALLOW_DOWNLOAD: 'false',
    },
  })
  const base = `http://127.0.0.1:${ports.http}`
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no banner within ${HEALTHY_WITHIN_MS} ms`)), HEALTHY_WITHIN_MS))
  try {
    await Promise.race([bannerPrinted(npm), timeout])
  } catch (error) {
    npm.kill('SIGTERM')
    throw error
  }
  return { npm, base, databaseUrl: `postgres://postgres:postgres@127.0.0.1:${ports.pg}/postgres` }
}

/** Signs in as the demo owner and creates a read key, as a storefront developer would. */
async function demoApiKey(base: string): Promise<string> {
  const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@vitrina.dev', password: 'vitrina-demo' }) })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const created = await fetch(`${base}/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ name: 'storefront', scopes: ['read'] }),
  })
  expect(created.status).toBe(201)
  return ((await created.json()) as { key: string }).key
}

async function stop(stack: Stack): Promise<number[]> {
  const pids = await descendants(stack.npm.pid ?? -1)
  const exited = new Promise((resolve) => stack.npm.once('exit', resolve))
  stack.npm.kill('SIGTERM')
  await exited
  const deadline = Date.now() + 15_000
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
  return pids
}

const dataDirs: string[] = []
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('npm start', () => {
  it('serves a healthy API, stops without orphans and keeps its data', { timeout: 400_000 }, async () => {
    // An empty DATABASE_URL means the embedded database; free ports let this run beside a developer's own stack.
    const dataDir = await mkdtemp(join(tmpdir(), 'vitrina-start-'))
    dataDirs.push(dataDir)
    const ports = { http: await freePort(), pg: await freePort(), clip: await freePort() }

    const first = await start(dataDir, ports)
    // The moment the banner prints: healthy, and the demo stock answers (the seed gives the n-th SKU (n·7) mod 23 units).
    const health = await fetch(`${first.base}/v1/health`)
    expect(health.status).toBe(200)
    const key = await demoApiKey(first.base)
    const stock = await fetch(`${first.base}/api/external/inventory/check-stock?sku=DEMO-BAGS-1-2`, { headers: { 'x-api-key': key } })
    expect(stock.status).toBe(200)
    const seeded = createDatabase({ url: first.databaseUrl })
    const skus = await seeded.db.execute<{ sku: string }>(sql`select sku from variants order by sku`)
    const seed = await seeded.db.execute<{ products: number; images: number; updated: string }>(
      sql`select (select count(*)::int from products) as products, (select count(*)::int from product_images) as images, (select updated_at::text from startup_tasks where name = 'demo-catalog' and state = 'done') as updated`,
    )
    await seeded.close()
    const position = skus.rows.findIndex((row) => row.sku === 'DEMO-BAGS-1-2')
    expect(await stock.json()).toMatchObject({ success: true, sku: 'DEMO-BAGS-1-2', stock: (position * 7) % 23 })
    expect(seed.rows[0]).toMatchObject({ products: 50, images: 100, updated: expect.any(String) })
    const doc = (await (await fetch(`${first.base}/openapi.json`)).json()) as Parameters<Validator['validate']>[0]
    const validation = await new Validator().validate(doc)
    expect(validation.errors ?? []).toEqual([])
    expect(validation.valid).toBe(true)
    const missing = await fetch(`${first.base}/v1/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } })

    const client = createDatabase({ url: first.databaseUrl })
    await client.db.execute(sql`insert into tenants (name, slug) values ('Kept', 'kept-across-restarts')`)
    await client.close()

    const pids = await stop(first)
    expect(pids.length).toBeGreaterThanOrEqual(4)
    expect(pids.filter(alive)).toEqual([])

    const second = await start(dataDir, ports)
    const again = createDatabase({ url: second.databaseUrl })
    const kept = await again.db.execute(sql`select slug from tenants where slug in ('kept-across-restarts', 'demo') order by slug`)
    const seedAgain = await again.db.execute(sql`select updated_at::text as updated from startup_tasks where name = 'demo-catalog'`)
    await again.close()
    expect(kept.rows).toEqual([{ slug: 'demo' }, { slug: 'kept-across-restarts' }])
    // The second start found the seed done and neither ran nor waited for it again.
    expect(seedAgain.rows).toEqual([{ updated: seed.rows[0]?.updated }])
    const secondPids = await stop(second)
    expect(secondPids.filter(alive)).toEqual([])
  })
})
