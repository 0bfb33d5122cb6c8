// Worker entry for `npm run bench:auth`: the real app, plus the same GET /v1/tenant handler mounted without
// authentication and rate limiting at /bare/v1/tenant, so both run in one workerd in one run.
import { Hono } from 'hono'
import app from '../../workers/index'
import type { AppEnv } from '../../workers/lib/app-env'
import { requestContext } from '../../workers/middleware/request-context'
import { requestDatabase } from '../../workers/middleware/request-database'
import { loadTenant } from '../../workers/routes/tenant'

export * from '../../workers/index'

const bare = new Hono<AppEnv>()
bare.use(requestContext, requestDatabase)
bare.get('/bare/v1/tenant', async (c) => c.json(await loadTenant(c.var.db.get(), c.req.header('x-bench-tenant') ?? ''), 200))

export default {
  fetch(request, env, ctx) {
    return new URL(request.url).pathname.startsWith('/bare/') ? bare.fetch(request, env, ctx) : app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>
