// The assistant's product search: full-text (and trigram) search merged with CLIP's text tower over product images,
// active products only. Without a reachable CLIP service or model the full-text results stand alone.
import { searchProductIds } from '../catalog/product-search'
import type { Database } from '../db/client'
import { textQueryVector } from '../search/query-embedding'
import { bestPerProduct, imageLimit, nearestImages } from '../search/vector-query'

/** Lowest cosine similarity a CLIP match needs to count (text-to-image similarities of CLIP sit around 0.2–0.35). */
export const CHAT_CLIP_MIN_SCORE = 0.15
/** Rank damping of reciprocal rank fusion (the usual k = 60 of Cormack et al.). */
const RRF_K = 60

/** What the model may ask for. */
export interface ChatProductQuery {
  query: string
  maxPrice?: number | undefined
  inStock?: boolean | undefined
}

/** Merges ranked id lists by reciprocal rank fusion: an id found by both ranks above one found by either alone. */
export function fuseRankings(lists: readonly (readonly string[])[], limit: number): string[] {
  const scores = new Map<string, number>()
  for (const list of lists) list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + rank + 1)))
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id]) => id)
}

/** Products whose images are nearest the query text by CLIP; empty when the service or its model is unavailable. */
async function clipProductIds(env: Env, db: Database, tenantId: string, input: ChatProductQuery, limit: number, minScore: number): Promise<string[]> {
  try {
    const { vector } = await textQueryVector(env, db, tenantId, input.query)
    const filters = { attributes: [], maxPrice: input.maxPrice, inStock: input.inStock === true, includeInactive: false }
    const { hits } = await nearestImages(db, tenantId, filters, vector, imageLimit(limit))
    return bestPerProduct(hits, limit, minScore).map((hit) => hit.productId)
  } catch {
    return []
  }
}

/** Active products for the assistant, best first: full-text and CLIP matches (from `minScore`) fused, at most `limit`. */
export async function searchProductsForChat(env: Env, db: Database, tenantId: string, input: ChatProductQuery, limit: number, minScore = CHAT_CLIP_MIN_SCORE): Promise<string[]> {
  const [text, clip] = await Promise.all([
    searchProductIds(db, tenantId, { limit, status: 'active', q: input.query, maxPrice: input.maxPrice, attributes: [], sort: 'relevance' }).then((found) => found.ids),
    clipProductIds(env, db, tenantId, input, limit, minScore),
  ])
  return fuseRankings([text, clip], limit)
}
