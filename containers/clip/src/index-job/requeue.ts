// Once the model is up, images that waited for it get their embedding: pending ones (their job may have died with an
// earlier process) and those that failed with model_unavailable go back to pending and into the queue, a page at a
// time so the bounded queue never overflows.
import { sql } from 'drizzle-orm'
import { setTimeout as sleep } from 'node:timers/promises'
import { queryRows, uuidList, type Database } from '../../../../workers/db/client'
import { QueueFullError } from '../batcher'
import type { IndexRequest } from './index-image'

/** Images per page; the queue is refilled only once it has room for a whole page. */
const PAGE = 200
/** How often a full queue is looked at again. */
const DRAIN_POLL_MS = 500

/** What requeueing needs of the queue. */
export interface RequeueTarget {
  depth: () => number
  capacity: number
  enqueue: (request: IndexRequest) => void
  closed: () => boolean
}

interface WaitingRow {
  tenantId: string
  imageId: string
  createdAt: string
}

function enqueued(target: RequeueTarget, row: WaitingRow): boolean {
  try {
    target.enqueue({ tenantId: row.tenantId, imageId: row.imageId })
    return true
  } catch (error) {
    if (error instanceof QueueFullError) return false
    throw error
  }
}

/** Queues every image still waiting for an embedding (of one tenant when `tenantId` is given), oldest first; answers how many. */
export async function requeueWaitingImages(db: Database, target: RequeueTarget, tenantId?: string): Promise<number> {
  const page = Math.max(1, Math.min(PAGE, target.capacity))
  let after: WaitingRow | undefined
  let queued = 0
  for (;;) {
    while (!target.closed() && target.depth() + page > target.capacity) await sleep(DRAIN_POLL_MS)
    if (target.closed()) return queued
    const rows = await queryRows<WaitingRow>(
      db,
      sql`select tenant_id as "tenantId", id as "imageId", created_at::text as "createdAt" from product_images
          where (status = 'pending' or (status = 'failed' and failure_reason like 'model_unavailable%'))
            ${tenantId ? sql`and tenant_id = ${tenantId}` : sql``}
            ${after ? sql`and (created_at, id) > (${after.createdAt}::timestamptz, ${after.imageId}::uuid)` : sql``}
          order by created_at, id limit ${page}`,
    )
    if (rows.length === 0) return queued
    await db.execute(sql`update product_images set status = 'pending', failure_reason = null where status = 'failed' and id in (${uuidList(rows.map((r) => r.imageId))})`)
    for (const row of rows) {
      // Uploads keep arriving meanwhile; a queue they filled is waited out rather than skipped.
      while (!enqueued(target, row)) {
        if (target.closed()) return queued
        await sleep(DRAIN_POLL_MS)
      }
      queued += 1
    }
    after = rows.at(-1)
    if (rows.length < page) return queued
  }
}
