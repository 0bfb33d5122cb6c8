// The API's error body as OpenAPI schemas, free of Worker bindings so Node-side code (scripts, tests) can import it too.
import { z } from '@hono/zod-openapi'

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

/** Describes an error response for a route's `responses`. */
export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ErrorSchema } } }
}
