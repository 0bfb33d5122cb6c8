// GET /v1/health: is the Worker up, can it reach Postgres, can the CLIP service embed, and has start-up work finished.
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import pkg from '../../package.json'
import type { Database } from '../db/client'
import { startupTasks } from '../db/schema'
import { clipStatus } from '../lib/clip-client'
import { createRouter } from '../lib/openapi'

/** How long the database ping may take before the database counts as down. */
const DATABASE_PING_TIMEOUT_MS = 3000

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'starting']),
    database: z.object({ ok: z.boolean(), ms: z.number() }),
    startup: z.object({ pending: z.array(z.string()).openapi({ description: 'Start-up tasks still running (the local demo seed); empty in production' }) }),
    clip: z.object({ status: z.enum(['ready', 'model_unavailable', 'down']) }),
    version: z.string(),
  })
  .openapi('Health')

const route = createRoute({
  method: 'get',
  path: '/v1/health',
  tags: ['System'],
  summary: 'Service health',
  description:
    '200 once the instance is ready (`status` is `degraded` when the database or the CLIP service is not fully available); 503 with `status: starting` while start-up work (the local demo seed) is still running.',
  responses: {
    200: { description: 'Health of the service and its dependencies', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Still starting: not ready for traffic yet', content: { 'application/json': { schema: HealthSchema } } },
  },
})

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))
}

/** Pings the database with the query that also lists the start-up tasks still running. */
async function pingDatabase(db: Database): Promise<{ ok: boolean; ms: number; pending: string[] }> {
  const started = performance.now()
  const running = db.select({ name: startupTasks.name }).from(startupTasks).where(eq(startupTasks.state, 'running'))
  const pending = await Promise.race([running, timeout(DATABASE_PING_TIMEOUT_MS)]).then(
    (rows) => rows.map((row) => row.name),
    () => undefined,
  )
  return { ok: pending !== undefined, ms: Math.round((performance.now() - started) * 10) / 10, pending: pending ?? [] }
}

export const healthRoutes = createRouter().openapi(route, async (c) => {
  const [{ pending, ...database }, clip] = await Promise.all([pingDatabase(c.var.db.get()), clipStatus(c.env)])
  const body = { database, clip: { status: clip }, startup: { pending }, version: pkg.version }
  if (pending.length > 0) return c.json({ status: 'starting' as const, ...body }, 503)
  return c.json({ status: database.ok && clip === 'ready' ? ('ok' as const) : ('degraded' as const), ...body }, 200)
})
