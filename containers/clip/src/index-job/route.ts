// POST /index: validates {tenantId, imageId}, queues the job and answers 202 at once; 429 when the queue is full.
import type { Context } from 'hono'
import { z } from 'zod'
import { QueueFullError } from '../batcher'
import { ApiError } from '../errors'
import type { Indexer } from './indexer'

const indexRequestSchema = z.object({ tenantId: z.uuid(), imageId: z.uuid() })

/** The handler of POST /index over an indexer. */
export function indexHandler(indexer: Indexer): (c: Context) => Promise<Response> {
  return async (c) => {
    const json: unknown = await c.req.json().catch(() => {
      throw new ApiError(400, 'invalid_request', 'body must be JSON')
    })
    const parsed = indexRequestSchema.safeParse(json)
    if (!parsed.success) throw new ApiError(400, 'invalid_request', 'invalid index request', parsed.error.issues)
    try {
      indexer.enqueue(parsed.data)
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error
      throw new ApiError(
        429,
        'queue_full',
        'the index queue is full',
        { retryAfterSeconds: error.retryAfterSeconds },
        { 'Retry-After': String(error.retryAfterSeconds) },
      )
    }
    return c.json({ queued: true }, 202)
  }
}
