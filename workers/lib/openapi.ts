// Shared OpenAPI pieces: the router type, the validation hook that yields 400 invalid_request, and the error schema.
import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from './app-env'
import { ApiError } from './errors'

/** One entry per invalid field, as returned in `error.details` of a 400. */
export interface ValidationIssue {
  in: string
  path: string
  message: string
  code: string
  /** The bound a too_small / too_big issue broke and what it measured (string length, number, array size), for translated messages. */
  minimum?: number
  maximum?: number
  origin?: string
}

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

/** OpenAPI schema of one validation issue. */
export const ValidationIssueSchema = z
  .object({ in: z.string(), path: z.string(), message: z.string(), code: z.string(), minimum: z.number().optional(), maximum: z.number().optional(), origin: z.string().optional() })
  .openapi('ValidationIssue')

/** OpenAPI schema of the error body every non-2xx response carries. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error')

/** A required JSON request body of `schema`, for a route's `request.body`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } }
}

/** A JSON response of `schema`, for a route's `responses`. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } }
}

/** Describes an error response for a route's `responses`. */
export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ErrorSchema } } }
}

type SecurityRequirement = Record<string, string[]>

/** Routes that take either credential: an API key or a member's access token. */
export const ANY_CREDENTIAL: SecurityRequirement[] = [{ apiKey: [] }, { bearerAuth: [] }]
/** Routes only a signed-in member may call. */
export const MEMBER_CREDENTIAL: SecurityRequirement[] = [{ bearerAuth: [] }]
