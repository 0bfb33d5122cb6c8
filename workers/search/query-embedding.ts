// Query vectors with a cache in Postgres: keyed by tenant and the image's sha256 or the normalised text, under the model
// in use (the model of the newest cached vector), so a repeated query skips inference and the CLIP service entirely.
// Per tenant, so neither a hit (in analytics) nor its speed tells a tenant what another one searched.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'
import { embedImage, embedText, type Embeddings } from '../lib/clip-client'
import { vectorLiteral } from './vector-query'

/** A query vector and whether it came from the cache. */
export interface QueryVector {
  vector: number[]
  model: string
  cacheHit: boolean
}

/** Lower case, single spaces, trimmed: the form text queries are cached and logged under. */
export function normaliseQueryText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
}

/** Hex sha256 of the bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function parseVector(text: string): number[] {
  return text.slice(1, -1).split(',').map(Number)
}

async function cached(db: Database, tenantId: string, key: string): Promise<QueryVector | undefined> {
  const [row] = await queryRows<{ model: string; embedding: string }>(
    db,
    sql`select model, embedding::text as embedding from query_embeddings
      where tenant_id = ${tenantId} and key = ${key} and model = (select model from query_embeddings order by created_at desc limit 1)`,
  )
  return row ? { vector: parseVector(row.embedding), model: row.model, cacheHit: true } : undefined
}

async function remember(db: Database, tenantId: string, key: string, embeddings: Embeddings): Promise<QueryVector> {
  const vector = embeddings.embeddings[0] ?? []
  await db.execute(sql`insert into query_embeddings (tenant_id, model, key, embedding) values (${tenantId}, ${embeddings.model}, ${key}, ${vectorLiteral(vector)}::vector)
    on conflict (tenant_id, model, key) do update set embedding = excluded.embedding, created_at = now()`)
  return { vector, model: embeddings.model, cacheHit: false }
}

/** The vector of an image, from the tenant's cache or the CLIP image tower. */
export async function imageQueryVector(env: Env, db: Database, tenantId: string, bytes: Uint8Array, contentType: string): Promise<QueryVector> {
  const key = `image:${await sha256Hex(bytes)}`
  return (await cached(db, tenantId, key)) ?? remember(db, tenantId, key, await embedImage(env, bytes, contentType))
}

/** The vector of a text query, from the tenant's cache or the CLIP text tower. */
export async function textQueryVector(env: Env, db: Database, tenantId: string, text: string): Promise<QueryVector> {
  const normalised = normaliseQueryText(text)
  const key = `text:${normalised}`
  return (await cached(db, tenantId, key)) ?? remember(db, tenantId, key, await embedText(env, [normalised]))
}
