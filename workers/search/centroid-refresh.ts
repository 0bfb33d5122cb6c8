// Keeps category centroids current after catalog edits, after the response: a product changing category, an image
// deleted. The work gets its own database client, because the request's client is closed once the response is out.
import type { Context } from 'hono'
import { createDatabase, type Database } from '../db/client'
import type { AppEnv } from '../lib/app-env'
import { recomputeCentroids, recomputeCentroidsForProduct } from './centroids'

async function withOwnDatabase(env: Env, work: (db: Database) => Promise<unknown>): Promise<void> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    await work(client.db)
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'centroid refresh failed', error: String(error) }))
  } finally {
    await client.close()
  }
}

/** Recomputes, after the response, the centroids of the product's category and of `previousCategoryId` when it moved. */
export function refreshCentroidsAfter(c: Context<AppEnv>, tenantId: string, productId: string, previousCategoryId?: string | null): void {
  c.executionCtx.waitUntil(
    withOwnDatabase(c.env, async (db) => {
      if (previousCategoryId) await recomputeCentroids(db, tenantId, previousCategoryId)
      await recomputeCentroidsForProduct(db, tenantId, productId)
    }),
  )
}
