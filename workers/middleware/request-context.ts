// Gives every request an id (echoed as X-Request-Id), and when it ends writes one structured JSON log line and one
// Analytics Engine data point (workers/lib/analytics.ts).
import { createMiddleware } from 'hono/factory'
import { routePath } from 'hono/route'
import { requestDataPoint, writeDataPoint } from '../lib/analytics'
import type { AppEnv } from '../lib/app-env'

/** Longest client-supplied request id we echo back; anything else gets a fresh id. */
const MAX_CLIENT_REQUEST_ID_LENGTH = 128
const CLIENT_REQUEST_ID = /^[\w.:-]+$/

/** One log line per request: what, who, how it ended and how long it took. */
export interface RequestLogLine {
  level: 'info' | 'warn' | 'error'
  msg: 'request'
  requestId: string
  method: string
  path: string
  status: number
  durationMs: number
  tenant: string | null
}

/** Sets `requestId`, the `X-Request-Id` header, and logs the request as one JSON line and one data point. */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now()
  const incoming = c.req.header('x-request-id')
  const requestId =
    incoming && incoming.length <= MAX_CLIENT_REQUEST_ID_LENGTH && CLIENT_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
  c.set('requestId', requestId)
  c.set('tenantId', undefined)
  await next()
  c.res.headers.set('X-Request-Id', requestId)
  const status = c.res.status
  const line: RequestLogLine = {
    level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
    msg: 'request',
    requestId,
    method: c.req.method,
    path: c.req.path,
    status,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    tenant: c.var.tenantId ?? null,
  }
  console.log(JSON.stringify(line))
  writeDataPoint(c.env.ANALYTICS, requestDataPoint({ method: line.method, route: routePath(c, -1), status, tenantId: line.tenant, durationMs: line.durationMs }))
})
