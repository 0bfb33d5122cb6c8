// Shared OpenAPI pieces: the router type, the validation hook that yields 400 invalid_request, body and response helpers
// (the error schema itself lives in error-schema.ts, which needs no Worker bindings).
import type { z } from '@hono/zod-openapi'
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './app-env'
import { type ValidationIssue } from './error-schema'
import { ApiError } from './errors'

export { ErrorSchema, errorResponse, ValidationIssueSchema, type ValidationIssue } from './error-schema'

/** A zod issue's bound as a number (bigint schemas report bigint bounds). */
function bound(value: unknown): number | undefined {
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined
}

/** Creates a router whose zod validation failures become 400 `invalid_request` with one issue per field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return
      const details: ValidationIssue[] = result.error.issues.map((issue) => ({
        in: result.target,
        path: issue.path.map(String).join('.'),
        message: issue.message,
        code: issue.code,
        ...('minimum' in issue && bound(issue.minimum) !== undefined ? { minimum: bound(issue.minimum) } : {}),
        ...('maximum' in issue && bound(issue.maximum) !== undefined ? { maximum: bound(issue.maximum) } : {}),
        ...('origin' in issue && typeof issue.origin === 'string' ? { origin: issue.origin } : {}),
      }))
      throw new ApiError('invalid_request', 'The request is invalid', { details })
    },
  })
}

/** A required JSON request body of `schema`, for a route's `request.body`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } }
}

/** A JSON response of `schema`, for a route's `responses`. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } }
}

type SecurityRequirement = Record<string, string[]>

/** Routes that take either credential: an API key or a member's access token. */
export const ANY_CREDENTIAL: SecurityRequirement[] = [{ apiKey: [] }, { bearerAuth: [] }]
/** Routes only a signed-in member may call. */
export const MEMBER_CREDENTIAL: SecurityRequirement[] = [{ bearerAuth: [] }]
