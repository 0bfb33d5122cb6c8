// Worker entry for `npm run bench:auth`: the real app, plus the same GET /v1/tenant handler mounted without
// authentication and rate limiting at /v1/bench/tenant (under /v1/, so the Worker, not the static assets, answers it).
import { Hono } from 'hono'
import app from '../../workers/index'
import type { AppEnv } from '../../workers/lib/app-env'
import { requestContext } from '../../workers/middleware/request-context'
import { requestDatabase } from '../../workers/middleware/request-database'
import { loadTenant } from '../../workers/routes/tenant'

export * from '../../workers/index'

/** Where the bare handler answers (scripts/bench/auth.ts calls it). */
const BARE_TENANT_PATH = '/v1/bench/tenant'

const bare = new Hono<AppEnv>()
bare.use(requestContext, requestDatabase)
bare.get(BARE_TENANT_PATH, async (c) => c.json(await loadTenant(c.var.db.get(), c.req.header('x-bench-tenant') ?? ''), 200))

export default {
  fetch(request, env, ctx) {
    return new URL(request.url).pathname === BARE_TENANT_PATH ? bare.fetch(request, env, ctx) : app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>
