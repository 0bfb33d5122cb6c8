// `wrangler dev` runs two workerd processes: a dev proxy on the public port and the Worker's own runtime behind it. This
// finds the runtime's own HTTP port, so a benchmark can measure the Worker with and without the proxy's hop.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The fields of /proc/<pid>/stat after the command name (which sits in parentheses): state, ppid, pgrp, …; none once it is gone. */
async function statFields(pid: number | string): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : []
}

async function processGroup(pid: string): Promise<string | undefined> {
  return (await statFields(pid))[2]
}

/** The two workerd processes of one `wrangler dev`: the proxy's and the Worker's own, with the latter's URL. */
export interface DevRuntimes {
  proxyPid: number | undefined
  runtimePid: number
  runtimeBase: string
}

/**
 * Finds, among the listening sockets of the workerd processes in process group `group`, the Worker's own runtime (the
 * port that answers health and is not the dev proxy's `proxyBase`); undefined when it cannot be told (no `ss`).
 */
export async function findDevRuntimes(proxyBase: string, group: number): Promise<DevRuntimes | undefined> {
  const listing = await run('ss', ['-ltnpH']).catch(() => null)
  if (!listing) return undefined
  const proxyPort = new URL(proxyBase).port
  let proxyPid: number | undefined
  const candidates: { port: string; pid: number }[] = []
  for (const line of listing.stdout.split('\n')) {
    const match = line.match(/127\.0\.0\.1:(\d+)\s.*"workerd",pid=(\d+)/)
    if (!match?.[1] || !match[2] || (await processGroup(match[2])) !== String(group)) continue
    if (match[1] === proxyPort) proxyPid = Number(match[2])
    else candidates.push({ port: match[1], pid: Number(match[2]) })
  }
  for (const { port, pid } of candidates) {
    const base = `http://127.0.0.1:${port}`
    const health = await fetch(`${base}/v1/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => null)
    const body = health ? ((await health.json().catch(() => null)) as { status?: string } | null) : null
    if (body?.status) return { proxyPid, runtimePid: pid, runtimeBase: base }
  }
  return undefined
}

/** CPU time (user + system) a process has used so far, in milliseconds; NaN once it is gone. */
export async function processCpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN
  const fields = await statFields(pid)
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

/** What `withCpu` adds to a load result: CPU milliseconds per request of each watched process, and its share of one core. */
export interface CpuFigures {
  cpuMsPerRequest: Record<string, number>
  coreShare: Record<string, number>
}

/** Runs `run` and measures the CPU each of `processes` (name → pid) spent meanwhile. */
export async function withCpu<T extends { requests: number; seconds: number }>(processes: Record<string, number | undefined>, run: () => Promise<T>): Promise<T & CpuFigures> {
  const names = Object.keys(processes)
  const before = await Promise.all(names.map((name) => processCpuMs(processes[name])))
  const result = await run()
  const after = await Promise.all(names.map((name) => processCpuMs(processes[name])))
  const cpuMsPerRequest: Record<string, number> = {}
  const coreShare: Record<string, number> = {}
  names.forEach((name, i) => {
    const spent = (after[i] ?? Number.NaN) - (before[i] ?? Number.NaN)
    cpuMsPerRequest[name] = Math.round((spent / result.requests) * 100) / 100
    coreShare[name] = Math.round((spent / (result.seconds * 1000)) * 100) / 100
  })
  return { ...result, cpuMsPerRequest, coreShare }
}
