// A closed-loop HTTP load generator for the benchmarks: N concurrent clients for a fixed time, latency percentiles.
import { performance } from 'node:perf_hooks'

export interface LoadResult {
  requests: number
  errors: number
  seconds: number
  rps: number
  p50Ms: number
  p99Ms: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** Runs `concurrency` loops calling `request` for `seconds`; a non-2xx answer counts as an error. */
export async function runLoad(request: () => Promise<Response>, concurrency: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        const res = await request().catch(() => null)
        if (res) await res.arrayBuffer()
        if (!res?.ok) errors += 1
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    requests: latencies.length,
    errors,
    seconds: Math.round(elapsed * 100) / 100,
    rps: Math.round((latencies.length / elapsed) * 10) / 10,
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  }
}
