// Answers unmatched requests: 405 with an Allow header when the path exists for other methods, 404 otherwise.
import type { Hono, NotFoundHandler } from 'hono'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'
import { apiErrorResponse } from './error-handler'

interface RoutePattern {
  method: string
  regex: RegExp
}

/** Turns a Hono path (`/v1/products/:id`, `/media/*`) into an anchored regular expression. */
function pathToRegex(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}/?$`)
}

/** Builds the app's `notFound` handler from the routes registered on `app` (read once, on first use). */
export function notFoundOrMethodNotAllowed(app: Hono<AppEnv>): NotFoundHandler<AppEnv> {
  let patterns: RoutePattern[] | undefined
  return (c) => {
    patterns ??= app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, regex: pathToRegex(r.path) }))
    const allowed = [...new Set(patterns.filter((p) => p.regex.test(c.req.path)).map((p) => p.method))]
    if (allowed.length > 0) {
      if (allowed.includes('GET')) allowed.push('HEAD')
      const error = new ApiError('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}`, {
        details: { allowed },
        headers: { Allow: allowed.join(', ') },
      })
      return apiErrorResponse(c, error)
    }
    return apiErrorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}`))
  }
}
