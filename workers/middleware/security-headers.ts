// Adds the browser security headers (CSP, nosniff, referrer policy, framing) to every response of the Worker: API
// answers, errors, /docs and media. WebSocket upgrades (101) are left alone.
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../lib/app-env'
import { SECURITY_HEADERS } from '../lib/security-headers'

const SWITCHING_PROTOCOLS = 101

/** Sets each security header the response does not set itself, copying a response whose headers are immutable. */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  if (c.res.status === SWITCHING_PROTOCOLS) return
  const missing = Object.entries(SECURITY_HEADERS).filter(([name]) => !c.res.headers.has(name))
  if (missing.length === 0) return
  try {
    for (const [name, value] of missing) c.res.headers.set(name, value)
  } catch {
    const copy = new Response(c.res.body, c.res)
    for (const [name, value] of missing) copy.headers.set(name, value)
    c.res = copy
  }
})
