// Turns anything thrown by a handler into the API's JSON error shape; a 500 carries the request id and never a stack.
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../lib/app-env'
import { ApiError, codeForStatus, errorBody } from '../lib/errors'

/** Answers an ApiError in the JSON shape, with its status and headers. */
export function apiErrorResponse(c: Context<AppEnv>, err: ApiError): Response {
  return c.json(errorBody(err.code, err.message, err.details, c.get('requestId')), err.status, err.headers)
}

/** The app's `onError`: known errors keep their status, everything else is logged and answered as `internal`. */
export const handleError: ErrorHandler<AppEnv> = (err, c) => {
  const requestId = c.get('requestId')
  if (err instanceof ApiError) return apiErrorResponse(c, err)
  if (err instanceof HTTPException && err.status < 500) {
    const code = codeForStatus(err.status)
    const message = err.message || code.replaceAll('_', ' ')
    return c.json(errorBody(code, message, undefined, requestId), err.status)
  }
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled', requestId, error: String(err), cause: String(err.cause ?? ''), stack: err.stack }))
  return c.json(errorBody('internal', 'Internal server error', undefined, requestId), 500)
}
