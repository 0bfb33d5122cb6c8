// Child processes for the dev orchestrator: each in its own process group, so stopping one stops everything it started.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'

/** How long a child may take to exit after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 8000

/** A started child: its name, the process, and a promise of its exit code. */
export interface Service {
  name: string
  child: ChildProcess
  exited: Promise<number | null>
}

/** Starts `command` detached (its own process group) and prefixes each output line with `name`. */
export function startService(name: string, command: string, args: string[], options: SpawnOptions = {}): Service {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`))
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { name, child, exited }
}

/** Resolves with the first stdout line of `service` that `match` accepts, or rejects when it exits first. */
export function waitForLine<T>(service: Service, match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stdout = service.child.stdout
    if (!stdout) return reject(new Error(`${service.name} has no stdout`))
    const lines = createInterface({ input: stdout })
    const timer = setTimeout(() => reject(new Error(`${service.name} not ready after ${timeoutMs} ms`)), timeoutMs)
    lines.on('line', (line) => {
      const value = match(line)
      if (value === undefined) return
      clearTimeout(timer)
      lines.close()
      resolve(value)
    })
    void service.exited.then((code) => reject(new Error(`${service.name} exited with code ${code} before it was ready`)))
  })
}

function signalGroup(service: Service, signal: NodeJS.Signals): void {
  const pid = service.child.pid
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // The group is already gone.
  }
}

/** Sends SIGTERM to the service's whole process group, then SIGKILL if it lingers; resolves when it has exited. */
export async function stopService(service: Service): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) {
    signalGroup(service, 'SIGKILL')
    return
  }
  signalGroup(service, 'SIGTERM')
  const timer = setTimeout(() => signalGroup(service, 'SIGKILL'), STOP_GRACE_MS)
  await service.exited
  clearTimeout(timer)
  signalGroup(service, 'SIGKILL')
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

/** Polls `url` until it answers a status `accept` takes (2xx by default); throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, accept: (status: number) => boolean = (status) => status >= 200 && status < 300): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      async (res) => {
        await res.body?.cancel()
        return accept(res.status)
      },
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}
