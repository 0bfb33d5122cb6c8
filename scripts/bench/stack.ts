// The Worker side of a benchmark: an embedded Postgres with a `bench` plan that never rate-limits, bench tenants with
// API keys, and `wrangler dev` (optionally on a bench entry) on a free port; `stop` tears it all down.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { generateApiKey } from '../../workers/auth/api-key-format'
import { createDatabase } from '../../workers/db/client'
import { sha256Hex } from '../../workers/lib/crypto'
import { migrateDatabase } from '../db/migrate'
import { freePort, startService, stopService, waitForHttp } from '../dev/processes'
import { benchDatabase } from './bench-database'
import { findDevRuntimes, type DevRuntimes } from './direct-runtime'
import { workerVarArgs } from '../dev/worker-vars'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** High enough that a key's bucket never empties during a run: benchmarks measure the cost of limiting, not refusals. */
const BENCH_REQUESTS_PER_MINUTE = 100_000_000
/** Signs the bench's access tokens. */
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret'
/** Encrypts the bench tenants' AI provider keys (base64 of 32 bytes). */
const BENCH_AI_CREDENTIALS_KEY = 'YmVuY2gta2V5LWZvci1haS1jcmVkZW50aWFscy0zMiE='

/** A tenant created for a benchmark, with an API key of the given scopes and a member (role `member`) for access tokens. */
export interface BenchTenant {
  id: string
  key: string
  memberId: string
}

export interface BenchStack {
  base: string
  /** The `wrangler dev` Node process. */
  wranglerPid: number | undefined
  /** wrangler dev's two workerd processes (undefined when they cannot be found). */
  runtimes: DevRuntimes | undefined
  databaseUrl: string
  /** Which database the Worker uses (embedded PGlite or the server named by BENCH_DATABASE_URL). */
  databaseLabel: string
  tenants: BenchTenant[]
  stop(): Promise<void>
}

/** Starts the stack; `tenants` lists each bench tenant's settings and key scopes. */
export async function startBenchStack(options: {
  entry?: string
  tenants: { settings?: Record<string, unknown>; scopes: string[] }[]
}): Promise<BenchStack> {
  const scratch = await mkdtemp(join(tmpdir(), 'vitrina-bench-'))
  const postgres = await benchDatabase('vitrina_bench_stack')
  console.log(`Worker database: ${postgres.label}`)
  await migrateDatabase({ url: postgres.url })
  const client = createDatabase({ url: postgres.url })
  await client.db.execute(sql`insert into plans (id, name, price_cents, requests_per_minute) values ('bench', 'Bench', 0, ${BENCH_REQUESTS_PER_MINUTE})`)
  const tenants: BenchTenant[] = []
  for (const [index, tenant] of options.tenants.entries()) {
    const [row] = (
      await client.db.execute<{ id: string }>(
        sql`insert into tenants (name, slug, plan, settings) values (${`Bench ${index}`}, ${`bench-${index}`}, 'bench', ${JSON.stringify(tenant.settings ?? {})}::jsonb) returning id`,
      )
    ).rows
    if (!row) throw new Error('bench tenant not created')
    const { key, prefix } = generateApiKey()
    const scopes = `{${tenant.scopes.join(',')}}`
    await client.db.execute(sql`insert into api_keys (tenant_id, name, prefix, key_hash, scopes) values (${row.id}, 'bench', ${prefix}, ${await sha256Hex(key)}, ${scopes})`)
    const [member] = (
      await client.db.execute<{ id: string }>(sql`insert into users (email, password_hash) values (${`bench-${index}@bench.invalid`}, 'none') returning id`)
    ).rows
    if (!member) throw new Error('bench member not created')
    await client.db.execute(sql`insert into memberships (tenant_id, user_id, role) values (${row.id}, ${member.id}, 'member')`)
    tenants.push({ id: row.id, key, memberId: member.id })
  }
  await client.close()

  const port = await freePort()
  const args = ['dev', ...(options.entry ? [options.entry] : []), '--ip', '127.0.0.1', '--port', String(port), '--persist-to', join(scratch, 'wrangler')]
  // The same local vars as `npm start` (development, so the AI bench's provider may live on loopback).
  const worker = startService('worker', join(root, 'node_modules/.bin/wrangler'), [...args, ...workerVarArgs(process.env), '--show-interactive-dev-session=false', '--log-level', 'error'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: postgres.url, JWT_SECRET: BENCH_JWT_SECRET, AI_CREDENTIALS_KEY: BENCH_AI_CREDENTIALS_KEY, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  const stop = async () => {
    await stopService(worker)
    await postgres.stop()
    await rm(scratch, { recursive: true, force: true })
  }
  const base = `http://127.0.0.1:${port}`
  await waitForHttp(`${base}/v1/health`, 90_000).catch(async (error: unknown) => {
    await stop()
    throw error
  })
  const runtimes = worker.child.pid === undefined ? undefined : await findDevRuntimes(base, worker.child.pid)
  return { base, wranglerPid: worker.child.pid, runtimes, databaseUrl: postgres.url, databaseLabel: postgres.label, tenants, stop }
}
