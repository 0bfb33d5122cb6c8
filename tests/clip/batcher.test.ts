// The micro-batching queue (grouping, batch cap, wait deadline, bounded queue, errors) and the settings it is built from.
import { describe, expect, it } from 'vitest'
import { MicroBatcher, QueueFullError } from '../../containers/clip/src/batcher'
import { loadConfig } from '../../containers/clip/src/config'

function recordingBatcher(options: { maxBatch: number; maxWaitMs: number; maxQueue: number }, delayMs = 0) {
  const batches: number[][] = []
  const batcher = new MicroBatcher<number, number>({
    ...options,
    run: async (items) => {
      batches.push(items)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      return items.map((n) => n * 10)
    },
  })
  return { batcher, batches }
}

describe('MicroBatcher', () => {
  it('groups concurrent submissions into one run and returns each caller its own outputs', async () => {
    const { batcher, batches } = recordingBatcher({ maxBatch: 8, maxWaitMs: 20, maxQueue: 100 })
    const results = await Promise.all([batcher.submit([1]), batcher.submit([2, 3]), batcher.submit([4])])
    expect(results).toEqual([[10], [20, 30], [40]])
    expect(batches).toEqual([[1, 2, 3, 4]])
  })

  it('runs a full batch at once and splits beyond maxBatch', async () => {
    const { batcher, batches } = recordingBatcher({ maxBatch: 2, maxWaitMs: 10_000, maxQueue: 100 })
    const started = performance.now()
    expect(await batcher.submit([1, 2, 3, 4])).toEqual([10, 20, 30, 40])
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('runs a partial batch once its oldest item has waited maxWaitMs', async () => {
    const { batcher, batches } = recordingBatcher({ maxBatch: 8, maxWaitMs: 50, maxQueue: 100 })
    const started = performance.now()
    await batcher.submit([1])
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
    expect(batches).toEqual([[1]])
  })

  it('refuses work beyond maxQueue with a retry hint instead of growing', async () => {
    const { batcher } = recordingBatcher({ maxBatch: 1, maxWaitMs: 0, maxQueue: 2 }, 50)
    const first = batcher.submit([1])
    await new Promise((resolve) => setTimeout(resolve, 5))
    const waiting = batcher.submit([2, 3])
    expect(batcher.depth).toBe(2)
    const refused = batcher.submit([4])
    await expect(refused).rejects.toBeInstanceOf(QueueFullError)
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) })
    expect(() => batcher.assertRoom(1)).toThrow(QueueFullError)
    expect(await Promise.all([first, waiting])).toEqual([[10], [20, 30]])
    expect(batcher.depth).toBe(0)
  })

  it('rejects every caller of a failed batch and keeps serving', async () => {
    let fail = true
    const batcher = new MicroBatcher<number, number>({
      maxBatch: 4,
      maxWaitMs: 5,
      maxQueue: 10,
      run: async (items) => {
        if (fail) throw new Error('boom')
        return items
      },
    })
    const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([2])])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    expect(await batcher.submit([3])).toEqual([3])
  })
})

describe('loadConfig', () => {
  it('reads the CLIP_* variables, defaults downloads off under CI, and rejects a queue smaller than a request', () => {
    const config = loadConfig({ CLIP_PORT: '9000', CLIP_DTYPE: 'q8', CLIP_MAX_BATCH: '16', CI: 'true' })
    expect(config).toMatchObject({ port: 9000, dtype: 'q8', maxBatch: 16, allowDownload: false })
    expect(loadConfig({ CI: 'true', CLIP_ALLOW_DOWNLOAD: '1' }).allowDownload).toBe(true)
    expect(loadConfig({}).allowDownload).toBe(true)
    expect(() => loadConfig({ CLIP_DTYPE: 'fp16' })).toThrow(/CLIP_DTYPE/)
    expect(() => loadConfig({ CLIP_MAX_QUEUE: '4' })).toThrow(/CLIP_MAX_QUEUE/)
  })
})
