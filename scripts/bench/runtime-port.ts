// Finds the Worker runtime behind `wrangler dev`'s dev proxy: the ports that workerd processes started by this bench
// (descendants of this process) listen on, tried with a request that only the Vitrina Worker answers as expected.
import { execFileSync } from 'node:child_process'

function descendants(root: number): Set<number> {
  const children = new Map<number, number[]>()
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid=']).toString().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number)
    if (pid === undefined || ppid === undefined || Number.isNaN(pid)) continue
    children.set(ppid, [...(children.get(ppid) ?? []), pid])
  }
  const out = new Set<number>()
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.pop() as number
    for (const child of children.get(pid) ?? []) {
      out.add(child)
      queue.push(child)
    }
  }
  return out
}

/**
 * The base URL of the workerd runtime serving the Worker directly (not the dev proxy at `proxyBase`), or undefined when
 * it cannot be found (no `ss`, another layout). `isWorker` tells the Worker's answer apart from other sockets'.
 */
export async function runtimeBase(proxyBase: string, isWorker: (base: string) => Promise<boolean>): Promise<string | undefined> {
  let listing: string
  try {
    listing = execFileSync('ss', ['-ltnpH']).toString()
  } catch {
    return undefined
  }
  const mine = descendants(process.pid)
  const proxyPort = new URL(proxyBase).port
  const ports = new Set<string>()
  for (const line of listing.split('\n')) {
    const pid = Number(/pid=(\d+)/.exec(line)?.[1])
    const local = line.trim().split(/\s+/)[3]
    if (!mine.has(pid) || !local?.startsWith('127.0.0.1:')) continue
    const port = local.slice('127.0.0.1:'.length)
    if (port !== proxyPort) ports.add(port)
  }
  for (const port of ports) {
    const base = `http://127.0.0.1:${port}`
    if (await isWorker(base).catch(() => false)) return base
  }
  return undefined
}
