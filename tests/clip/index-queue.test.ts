// The index job queue (concurrency, bounded waiting list, coalescing, retries with delays, giving up, closing) and the
// indexing settings read from the environment.
import { describe, expect, it } from 'vitest'
import { QueueFullError } from '../../containers/clip/src/batcher'
import { DEFAULT_INDEX_RETRY_DELAYS_MS, loadConfig } from '../../containers/clip/src/config'
import { JobQueue } from '../../containers/clip/src/index-job/job-queue'

interface Gate {
  wait: Promise<void>
  open: () => void
}

function gate(): Gate {
  let open = () => {}
  const wait = new Promise<void>((resolve) => (open = resolve))
  return { wait, open }
}

function recordingQueue(options: { concurrency?: number; maxQueued?: number; retryDelaysMs?: number[]; fail?: (job: string, attempt: number) => boolean; hold?: Gate }) {
  const started: string[] = []
  const attempts = new Map<string, number>()
  const gaveUp: { job: string; error: string }[] = []
  const retries: { job: string; attempt: number }[] = []
  let running = 0
  let peak = 0
  const done = gate()
  const queue = new JobQueue<string>({
    concurrency: options.concurrency ?? 1,
    maxQueued: options.maxQueued ?? 100,
    retryDelaysMs: options.retryDelaysMs ?? [],
    key: (job) => job,
    run: async (job) => {
      const attempt = (attempts.get(job) ?? 0) + 1
      attempts.set(job, attempt)
      started.push(job)
      running += 1
      peak = Math.max(peak, running)
      try {
        await (options.hold?.wait ?? new Promise((resolve) => setTimeout(resolve, 5)))
        if (options.fail?.(job, attempt)) throw new Error(`${job} failed on attempt ${attempt}`)
      } finally {
        running -= 1
      }
    },
    onGiveUp: async (job, error) => {
      gaveUp.push({ job, error: error instanceof Error ? error.message : String(error) })
      done.open()
    },
    onRetry: (job, attempt) => retries.push({ job, attempt }),
  })
  return { queue, started, attempts, gaveUp, retries, peak: () => peak, gaveUpOnce: done.wait }
}

function thrown(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  return undefined
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('JobQueue', () => {
  it('runs jobs in arrival order, never more than the concurrency at once', async () => {
    const { queue, started, peak } = recordingQueue({ concurrency: 2 })
    for (const job of ['a', 'b', 'c', 'd', 'e']) expect(queue.enqueue(job)).toBe(true)
    await until(() => started.length === 5)
    await queue.close()
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(peak()).toBe(2)
  })

  it('coalesces a job that is already waiting and refuses new ones beyond the waiting list with a retry hint', async () => {
    const hold = gate()
    const { queue, started } = recordingQueue({ concurrency: 1, maxQueued: 1, hold })
    expect(queue.enqueue('running')).toBe(true)
    expect(queue.enqueue('waiting')).toBe(true)
    expect(queue.enqueue('waiting')).toBe(false)
    const refusal = thrown(() => queue.enqueue('third'))
    expect(refusal).toBeInstanceOf(QueueFullError)
    expect(refusal instanceof QueueFullError && refusal.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    hold.open()
    await until(() => started.length === 2)
    await queue.close()
    expect(started).toEqual(['running', 'waiting'])
  })

  it('retries after each delay and succeeds when an attempt does', async () => {
    const { queue, attempts, retries, gaveUp } = recordingQueue({ retryDelaysMs: [10, 20, 30], fail: (_job, attempt) => attempt < 3 })
    queue.enqueue('flaky')
    await until(() => attempts.get('flaky') === 3)
    await queue.close()
    expect(retries).toEqual([
      { job: 'flaky', attempt: 1 },
      { job: 'flaky', attempt: 2 },
    ])
    expect(gaveUp).toEqual([])
  })

  it('gives up after the last retry, waiting at least the sum of the delays', async () => {
    const { queue, attempts, gaveUp, gaveUpOnce } = recordingQueue({ retryDelaysMs: [30, 60], fail: () => true })
    const started = performance.now()
    queue.enqueue('broken')
    await gaveUpOnce
    expect(performance.now() - started).toBeGreaterThanOrEqual(85)
    expect(attempts.get('broken')).toBe(3)
    expect(gaveUp).toEqual([{ job: 'broken', error: 'broken failed on attempt 3' }])
    await queue.close()
  })

  it('drops waiting jobs and pending retries on close, and takes no new ones', async () => {
    const hold = gate()
    const { queue, started, gaveUp } = recordingQueue({ concurrency: 1, retryDelaysMs: [10_000], hold, fail: () => true })
    queue.enqueue('first')
    queue.enqueue('second')
    await until(() => started.length === 1)
    const closed = queue.close()
    hold.open()
    await closed
    expect(started).toEqual(['first'])
    expect(gaveUp).toEqual([])
    expect(() => queue.enqueue('late')).toThrow(QueueFullError)
  })
})

describe('indexing settings', () => {
  const complete = { DATABASE_URL: 'postgres://db/x', MEDIA_BASE_URL: 'http://127.0.0.1:8787', INTERNAL_TOKEN: 'a-token-of-sixteen+' }

  it('leaves indexing off without its settings, empty values included', () => {
    expect(loadConfig({}).index).toBeUndefined()
    expect(loadConfig({ DATABASE_URL: '', MEDIA_BASE_URL: '', INTERNAL_TOKEN: '' }).index).toBeUndefined()
  })

  it('reads the settings with their defaults and a list of retry delays', () => {
    expect(loadConfig(complete).index).toEqual({
      databaseUrl: 'postgres://db/x',
      databaseDriver: 'auto',
      mediaBaseUrl: 'http://127.0.0.1:8787',
      internalToken: 'a-token-of-sixteen+',
      concurrency: 2,
      maxQueue: 1000,
      retryDelaysMs: DEFAULT_INDEX_RETRY_DELAYS_MS,
      requeueOnStart: true,
    })
    expect(loadConfig({ ...complete, CLIP_INDEX_RETRY_DELAYS_MS: '5,10' }).index?.retryDelaysMs).toEqual([5, 10])
    expect(loadConfig({ ...complete, CLIP_INDEX_REQUEUE_ON_START: 'false' }).index?.requeueOnStart).toBe(false)
  })

  it('refuses a partial or malformed configuration', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x' })).toThrow(/MEDIA_BASE_URL, INTERNAL_TOKEN/)
    expect(() => loadConfig({ ...complete, INTERNAL_TOKEN: 'short' })).toThrow(/INTERNAL_TOKEN/)
    expect(() => loadConfig({ ...complete, CLIP_INDEX_RETRY_DELAYS_MS: '1s,2s' })).toThrow(/CLIP_INDEX_RETRY_DELAYS_MS/)
    expect(() => loadConfig({ ...complete, CLIP_INDEX_REQUEUE_ON_START: 'yes' })).toThrow(/CLIP_INDEX_REQUEUE_ON_START/)
  })
})
