// `npm start`: the whole system on embedded defaults — Postgres (PGlite unless DATABASE_URL is set), migrations,
// demo data, the CLIP service and `wrangler dev` — and a clean stop of every child on Ctrl-C or SIGTERM.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDatabase } from '../../workers/db/client'
import { migrateDatabase } from '../db/migrate'
import { DEMO_ACCOUNT, seedDemo } from '../db/seed'
import { demoTenantId, demoWorkerClient, seedDemoCatalog } from '../db/seed-catalog'
import { clipRuntimeEnv } from './clip-runtime-env'
import { startService, stopService, waitForHttp, waitForLine, type Service } from './processes'
import { markStartupTask, startupTaskDone } from './startup-tasks'
import { workerVarArgs } from './worker-vars'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = (name: string) => join(root, 'node_modules/.bin', name)
const dataDir = process.env.VITRINA_DATA_DIR ?? join(root, '.data')
const port = Number(process.env.PORT ?? 8787)
const embeddedPostgresPort = Number(process.env.EMBEDDED_PG_PORT ?? 54320)
const clipPort = Number(process.env.CLIP_PORT ?? 8790)
const STARTUP_TIMEOUT_MS = 90_000
/** The start-up task that seeds the demo catalog, images and stock through the running Worker. */
const DEMO_SEED_TASK = 'demo-catalog'
/** How often we check that whoever started us is still there; an orphaned orchestrator stops its children. */
const PARENT_CHECK_MS = 1000

const services: Service[] = []
let stopping = false

async function stopAll(exitCode: number): Promise<never> {
  stopping = true
  for (const service of [...services].reverse()) await stopService(service)
  process.exit(exitCode)
}

function watch(service: Service): Service {
  services.push(service)
  void service.exited.then((code) => {
    if (stopping) return
    console.error(`${service.name} exited unexpectedly (code ${code}); stopping everything`)
    void stopAll(1)
  })
  return service
}

/** A random secret kept in the data folder (file `name`), so it survives restarts. */
async function localSecret(name: string): Promise<string> {
  const file = join(dataDir, name)
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim()
  const secret = randomBytes(32).toString('base64url')
  await writeFile(file, secret, { mode: 0o600 })
  return secret
}

async function startDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL
  const postgres = watch(
    startService('postgres', bin('tsx'), ['scripts/db/serve-embedded-postgres.ts', '--data', join(dataDir, 'postgres'), '--port', String(embeddedPostgresPort)], {
      cwd: root,
    }),
  )
  return waitForLine(postgres, (line) => (line.startsWith('{"ready"') ? (JSON.parse(line) as { ready: string }).ready : undefined), STARTUP_TIMEOUT_MS)
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0))
  process.on('SIGTERM', () => void stopAll(0))
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && void stopAll(0), PARENT_CHECK_MS).unref()
  await mkdir(dataDir, { recursive: true })

  const build = startService('build', bin('tsx'), ['scripts/build-web.ts'], { cwd: root })
  if ((await build.exited) !== 0) throw new Error('building the web assets failed')

  const databaseUrl = await startDatabase()
  const driver = process.env.DATABASE_DRIVER ?? 'auto'
  await migrateDatabase({ url: databaseUrl, driver })
  const client = createDatabase({ url: databaseUrl, driver })
  const seedCatalog = await seedDemo(client.db)
    .then(async () => !(await startupTaskDone(client.db, DEMO_SEED_TASK)))
    .then(async (needed) => {
      if (needed) await markStartupTask(client.db, DEMO_SEED_TASK, 'running')
      return needed
    })
    .finally(() => client.close())

  const clipUrl = process.env.CLIP_URL ?? `http://127.0.0.1:${clipPort}`
  const internalToken = process.env.INTERNAL_TOKEN ?? (await localSecret('internal-token'))
  const clipServer = join(root, 'containers/clip/src/main.ts')
  if (!process.env.CLIP_URL && existsSync(clipServer)) {
    const clipEnv = {
      ...process.env,
      CLIP_PORT: String(clipPort),
      CLIP_MODEL_DIR: process.env.CLIP_MODEL_DIR ?? join(root, 'models/clip-vit-base-patch16'),
      ...clipRuntimeEnv(),
      DATABASE_URL: databaseUrl,
      DATABASE_DRIVER: driver,
      MEDIA_BASE_URL: `http://127.0.0.1:${port}`,
      INTERNAL_TOKEN: internalToken,
    }
    watch(startService('clip', bin('tsx'), [clipServer], { cwd: join(root, 'containers/clip'), env: clipEnv }))
  }

  const wranglerArgs = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', join(dataDir, 'wrangler'), '--show-interactive-dev-session=false']
  wranglerArgs.push(...workerVarArgs(process.env, { DATABASE_DRIVER: driver, CLIP_URL: clipUrl }))
  const secrets = {
    DATABASE_URL: databaseUrl,
    JWT_SECRET: process.env.JWT_SECRET ?? (await localSecret('jwt-secret')),
    INTERNAL_TOKEN: internalToken,
    AI_CREDENTIALS_KEY: process.env.AI_CREDENTIALS_KEY ?? (await localSecret('ai-credentials-key')),
  }
  watch(
    startService('worker', bin('wrangler'), wranglerArgs, {
      cwd: root,
      env: { ...process.env, ...secrets, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    }),
  )

  const base = `http://127.0.0.1:${port}`
  if (seedCatalog) {
    // The Worker answers 503 `starting` until the seed is done; the seed needs it up, not ready.
    await waitForHttp(`${base}/v1/health`, STARTUP_TIMEOUT_MS, (status) => status === 503 || status === 200)
    const catalogClient = createDatabase({ url: databaseUrl, driver })
    await seedDemoCatalog(catalogClient.db, await demoTenantId(catalogClient.db), demoWorkerClient(base))
      .then(() => markStartupTask(catalogClient.db, DEMO_SEED_TASK, 'done'))
      .finally(() => catalogClient.close())
  }
  await waitForHttp(`${base}/v1/health`, STARTUP_TIMEOUT_MS)
  console.log(
    [
      '',
      `Vitrina is running on ${base}`,
      `  API health   ${base}/v1/health`,
      `  API docs     ${base}/docs`,
      `  Admin UI     ${base}/`,
      `  Database     ${process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded PGlite (${join(dataDir, 'postgres')})`}`,
      `  Sign in as   ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password} (tenant "${DEMO_ACCOUNT.tenantName}")`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  void stopAll(1)
})
