// Wires the index job to the service: a database pool, the media bridge, the image pipeline, a bounded queue with
// retries, metrics and one JSON log line per outcome.
import { Counter, Gauge } from 'prom-client'
import { createDatabase } from '../../../../workers/db/client'
import type { IndexConfig } from '../config'
import type { Embedder } from '../embedder'
import type { Metrics } from '../metrics'
import { failureReason, indexImage, markFailed, type IndexRequest } from './index-image'
import { JobQueue } from './job-queue'
import { MediaBridgeStore, type ObjectStore } from './object-store'
import { requeueWaitingImages } from './requeue'

/** Postgres connections of the service: one per running job plus one for failure records. */
const EXTRA_CONNECTIONS = 1

/** The service's side of POST /index. */
export interface Indexer {
  /** Queues a job (once while the same image is waiting). Throws QueueFullError when the queue is full. */
  enqueue(request: IndexRequest): void
  /** Queues the images that wait for an embedding, of one tenant or all (call once the model is up); answers how many. */
  requeueWaiting(tenantId?: string): Promise<number>
  /** Stops the queue (running jobs finish, waiting ones stay pending in the database) and closes the pool. */
  close(): Promise<void>
}

function log(level: 'info' | 'warn' | 'error', msg: string, request: IndexRequest, extra: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level, msg, tenantId: request.tenantId, imageId: request.imageId, ...extra }))
}

/** Creates the indexer; `store` defaults to the Worker's media bridge at `config.mediaBaseUrl`. */
export function createIndexer(
  config: IndexConfig,
  embedder: Embedder,
  metrics: Metrics,
  store: ObjectStore = new MediaBridgeStore(config.mediaBaseUrl, config.internalToken),
): Indexer {
  const client = createDatabase({
    url: config.databaseUrl,
    driver: config.databaseDriver,
    maxConnections: config.concurrency + EXTRA_CONNECTIONS,
  })
  const jobs = new Counter({
    name: 'clip_index_jobs_total',
    help: 'Index job attempts by outcome (indexed, reused, missing, retried, failed)',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  })
  const depth = new Gauge({ name: 'clip_index_queue_depth', help: 'Index jobs waiting for a slot', registers: [metrics.registry] })
  const dependencies = {
    db: client.db,
    store,
    embedImage: async (bytes: Uint8Array) => {
      const [vector] = await embedder.embedImages([bytes])
      if (!vector) throw new Error('the pipeline returned no vector')
      return vector
    },
  }
  const queue = new JobQueue<IndexRequest>({
    concurrency: config.concurrency,
    maxQueued: config.maxQueue,
    retryDelaysMs: config.retryDelaysMs,
    key: (request) => `${request.tenantId}/${request.imageId}`,
    run: async (request) => {
      const outcome = await indexImage(dependencies, request)
      jobs.inc({ outcome })
      log(outcome === 'missing' ? 'warn' : 'info', `index job: ${outcome === 'missing' ? 'no such image' : outcome}`, request)
    },
    onRetry: (request, attempt, error) => {
      jobs.inc({ outcome: 'retried' })
      log('warn', 'index job: retrying', request, { attempt, reason: failureReason(error) })
    },
    onGiveUp: async (request, error) => {
      jobs.inc({ outcome: 'failed' })
      const reason = failureReason(error)
      log('error', 'index job: failed', request, { reason })
      await markFailed(client.db, request, reason)
    },
    onDepth: (value) => depth.set(value),
  })
  let closed = false
  const sweeps = new Set<Promise<number>>()
  return {
    enqueue: (request) => {
      queue.enqueue(request)
    },
    requeueWaiting: async (tenantId) => {
      const sweep = requeueWaitingImages(client.db, { depth: () => queue.depth, capacity: config.maxQueue, enqueue: (request) => queue.enqueue(request), closed: () => closed }, tenantId)
      sweeps.add(sweep)
      try {
        const count = await sweep
        console.error(JSON.stringify({ level: 'info', msg: 'index jobs queued for images that waited for the model', tenantId: tenantId ?? null, count }))
        return count
      } finally {
        sweeps.delete(sweep)
      }
    },
    close: async () => {
      closed = true
      await queue.close()
      await Promise.allSettled(sweeps)
      await client.close()
    },
  }
}
