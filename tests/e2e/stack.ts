// Starts `npm start` for the browser tests on free ports with a throwaway data folder (and, on the PostgreSQL lane, a
// throwaway database on the lane's server), and stops its whole process tree. Most test files share one stack
// (started by the global setup); a file that needs other settings or exhausts a stack-wide limit starts its own.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'
import { createThrowawayDatabase } from '../../scripts/db/throwaway-database'
import { freePort, waitForHttp } from '../../scripts/dev/processes'

const root = fileURLToPath(new URL('../..', import.meta.url))
const STARTUP_TIMEOUT_MS = 180_000
const STOP_TIMEOUT_MS = 20_000

/** A running stack: its base URL and how to stop it. */
export interface Stack {
  base: string
  stop: () => Promise<void>
}

/**
 * The shared stack's settings: every local client shares one per-IP budget (no client-IP header is trusted locally), and
 * all the files together sign in and register more often than one shop's office would.
 */
export const SHARED_STACK_ENV: Record<string, string> = { SIGN_INS_PER_IP_PER_15_MINUTES: '10000', REGISTRATIONS_PER_IP_PER_HOUR: '10000' }

/** The stack the global setup started for the whole run; stopping it is the global setup's job, so `stop` does nothing. */
export function sharedStack(): Stack {
  return { base: inject('sharedStackBase'), stop: () => Promise.resolve() }
}

/** Starts tried when the previous one lost a port: a free port is only free until someone binds it. */
const PORT_CLASH_ATTEMPTS = 3

/**
 * Runs `npm start` (embedded Postgres, CLIP without a model download, wrangler dev) and waits for /v1/health; `env` adds
 * or overrides variables (e.g. CLIP_MODEL_DIR). A start that lost one of its ports to another process is tried again on
 * fresh ones.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startStackOnce(env)
    } catch (error) {
      const clash = error instanceof Error && /Address already in use|EADDRINUSE/.test(error.message)
      if (!clash || attempt === PORT_CLASH_ATTEMPTS) throw error
    }
  }
}

async function startStackOnce(env: Record<string, string>): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vitrina-e2e-'))
  const port = await freePort()
  // On the PostgreSQL lane (DATABASE_URL names the lane's server) each stack gets a database of its own.
  const database = process.env.DATABASE_URL ? await createThrowawayDatabase(process.env.DATABASE_URL, 'vitrina_e2e') : undefined
  const npm: ChildProcess = spawn('npm', ['start'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: database?.url ?? '',
      VITRINA_DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      CLIP_PORT: String(await freePort()),
      CLIP_ALLOW_DOWNLOAD: 'false',
      ...env,
    },
  })
  const output: string[] = []
  for (const stream of [npm.stdout, npm.stderr]) stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()))
  const stop = async () => {
    if (npm.exitCode === null && npm.signalCode === null) {
      npm.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())])
    }
    await rm(dataDir, { recursive: true, force: true })
    await database?.drop()
  }
  const base = `http://127.0.0.1:${port}`
  try {
    await Promise.race([waitForHttp(`${base}/v1/health`, STARTUP_TIMEOUT_MS), exited.then(() => Promise.reject(new Error('npm start exited before it was healthy')))])
  } catch (error) {
    await stop()
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output.join('').slice(-4000)}`, { cause: error })
  }
  return { base, stop }
}

/** A JSON call to the stack's API; its status and parsed body. */
export type ApiCall = <T>(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; body: T }>

/** Calls the API of the stack at `base()` with the bearer token `token()` (both read per call: they are set in `beforeAll`). */
export function apiCaller(base: () => string, token: () => string): ApiCall {
  return async <T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${base()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${token()}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
  }
}

/** Registers `owner` (email, password, tenantName) on the stack at `base` and answers the access token. */
export async function registerOwner(base: string, owner: { email: string; password: string; tenantName: string }): Promise<string> {
  const registered = await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) })
  return ((await registered.json()) as { accessToken: string }).accessToken
}
