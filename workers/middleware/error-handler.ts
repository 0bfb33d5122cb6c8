// Turns anything thrown by a handler into the API's JSON error shape; a 500 carries the request id and never a stack.
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../lib/app-env'
import { ApiError, codeForStatus, errorBody } from '../lib/errors'
import type { ValidationIssue } from '../lib/openapi'
import { isConnectionRefusal } from '../db/errors'

/** Answers an ApiError in the JSON shape, with its status and headers. */
export function apiErrorResponse(c: Context<AppEnv>, err: ApiError): Response {
  return c.json(errorBody(err.code, err.message, err.details, c.get('requestId')), err.status, err.headers)
}

/** Hono's validator answers a body that is not JSON with this message and no cause. */
const MALFORMED_JSON_MESSAGE = 'Malformed JSON in request body'

/** For a body that is not valid JSON, where the parser stopped (parsed again from the body the request cached). */
async function malformedBodyDetails(c: Context<AppEnv>, err: HTTPException): Promise<ValidationIssue[] | undefined> {
  if (err.message !== MALFORMED_JSON_MESSAGE) return undefined
  const text = await c.req.text().catch(() => undefined)
  if (text === undefined) return undefined
  try {
    JSON.parse(text)
    return undefined
  } catch (parseError) {
    return [{ in: 'json', path: '', message: parseError instanceof Error ? parseError.message : String(parseError), code: 'malformed_json' }]
  }
}

/** The app's `onError`: known errors keep their status, a refused database connection is a retryable 503, everything
 * else is logged and answered as `internal`. */
export const handleError: ErrorHandler<AppEnv> = async (err, c) => {
  const requestId = c.get('requestId')
  if (err instanceof ApiError) return apiErrorResponse(c, err)
  if (err instanceof HTTPException && err.status < 500) {
    const code = codeForStatus(err.status)
    const message = err.message || code.replaceAll('_', ' ')
    return c.json(errorBody(code, message, await malformedBodyDetails(c, err), requestId), err.status)
  }
  if (isConnectionRefusal(err)) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'database refused a connection', requestId, cause: String(err.cause ?? err) }))
    return c.json(errorBody('database_busy', 'The database is at capacity; retry shortly', undefined, requestId), 503, { 'Retry-After': '1' })
  }
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled', requestId, error: String(err), cause: String(err.cause ?? ''), stack: err.stack }))
  return c.json(errorBody('internal', 'Internal server error', undefined, requestId), 500)
}
