// Benchmark output: the machine, a printed table, and a JSON file under bench/results/.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadResult } from './load'

/** Where and on what a benchmark ran. */
export function machine() {
  const cpu = cpus()
  return { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }
}

/** One table row of a load run beside its anchor: throughput ratio to three decimals, and units sold past `stock`. */
export function loadRow(variant: string, load: LoadResult, anchor: LoadResult, sold: number, stock: number) {
  return {
    variant,
    calls: load.requests,
    rps: load.rps,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    errors: load.errors,
    ratio: Math.round((load.rps / anchor.rps) * 1000) / 1000,
    oversell: Math.max(0, sold - stock),
  }
}

/** Prints `rows` as a table and writes the whole result to bench/results/<name>-<timestamp>.json. */
export async function report(name: string, rows: Record<string, string | number>[], extra: Record<string, unknown>): Promise<string> {
  console.table(rows)
  const dir = fileURLToPath(new URL('../../bench/results', import.meta.url))
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${name}-${new Date().toISOString().replaceAll(':', '-')}.json`)
  await writeFile(file, JSON.stringify({ name, machine: machine(), at: new Date().toISOString(), rows, ...extra }, null, 2))
  console.log(`results written to ${file}`)
  return file
}
