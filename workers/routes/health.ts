// GET /v1/health: is the Worker up, can it reach Postgres, and can the CLIP service embed.
import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'drizzle-orm'
import pkg from '../../package.json'
import type { Database } from '../db/client'
import { clipStatus } from '../lib/clip-client'
import { createRouter } from '../lib/openapi'

/** How long the database ping may take before the database counts as down. */
const DATABASE_PING_TIMEOUT_MS = 3000

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({ ok: z.boolean(), ms: z.number() }),
    clip: z.object({ status: z.enum(['ready', 'model_unavailable', 'down']) }),
    version: z.string(),
  })
  .openapi('Health')

const route = createRoute({
  method: 'get',
  path: '/v1/health',
  tags: ['System'],
  summary: 'Service health',
  description: 'Always 200; `status` is `degraded` when the database or the CLIP service is not fully available.',
  responses: { 200: { description: 'Health of the service and its dependencies', content: { 'application/json': { schema: HealthSchema } } } },
})

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))
}

async function pingDatabase(db: Database): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now()
  const ok = await Promise.race([db.execute(sql`select 1`), timeout(DATABASE_PING_TIMEOUT_MS)]).then(
    () => true,
    () => false,
  )
  return { ok, ms: Math.round((performance.now() - started) * 10) / 10 }
}

export const healthRoutes = createRouter().openapi(route, async (c) => {
  const [database, clip] = await Promise.all([pingDatabase(c.var.db.get()), clipStatus(c.env)])
  const status = database.ok && clip === 'ready' ? 'ok' : 'degraded'
  return c.json({ status, database, clip: { status: clip }, version: pkg.version }, 200)
})
