// Category detection: the category whose centroid (the mean of its products' image vectors) is nearest the query,
// with its cosine similarity and its margin over the runner-up.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import { vectorLiteral } from './vector-query'

/** The detected category; `margin` is its score minus the runner-up's (its own score when it has no rival). */
export interface DetectedCategory {
  id: string
  name: string
  score: number
  margin: number
}

/** The tenant's category nearest `vector`, or null when the tenant has no centroids yet. */
export async function detectCategory(db: Database, tenantId: string, vector: readonly number[]): Promise<DetectedCategory | null> {
  const rows = await queryRows<{ id: string; name: string; score: number }>(
    db,
    sql`select c.category_id as id, cat.name, (1 - (c.centroid <=> ${vectorLiteral(vector)}::vector))::float8 as score
      from category_centroids c join categories cat on cat.id = c.category_id
      where c.tenant_id = ${tenantId} and c.image_count > 0
      order by c.centroid <=> ${vectorLiteral(vector)}::vector limit 2`,
  )
  const [best, runnerUp] = rows
  if (!best) return null
  return { id: best.id, name: best.name, score: best.score, margin: best.score - (runnerUp?.score ?? 0) }
}
