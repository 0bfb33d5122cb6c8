// Declares in the OpenAPI document the statuses every route inherits from the shared middleware (credentials, scopes,
// rate limits, validation, body limits, a busy database) and, per status, the error codes the API can answer with it,
// so the document lists everything a route can answer without each route repeating it.
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './app-env'
import { ERROR_STATUS, type ErrorCode } from './errors'

type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>
type PathItem = NonNullable<OpenApiDocument['paths']>[string]
type Operation = NonNullable<PathItem['get']>
type Responses = NonNullable<Operation['responses']>
type SchemaMap = NonNullable<NonNullable<OpenApiDocument['components']>['schemas']>

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const

/** What the shared middleware answers, and when a route inherits it. */
const INHERITED: { status: number; description: string; applies: (op: Operation, path: string) => boolean }[] = [
  { status: 400, description: 'Invalid input (`details` lists each field)', applies: (op) => Boolean(op.requestBody) || (op.parameters?.length ?? 0) > 0 },
  { status: 401, description: 'A missing, invalid, expired or revoked credential', applies: (op) => secured(op) },
  { status: 403, description: 'The credential lacks the scope or role this route needs', applies: (op) => secured(op) },
  { status: 404, description: 'Not found (or another tenant’s)', applies: (_op, path) => path.includes('{') },
  { status: 413, description: 'The body is larger than this route accepts', applies: (op) => Boolean(op.requestBody) },
  { status: 415, description: 'The body is not in a media type this route accepts', applies: (op) => Boolean(op.requestBody) },
  { status: 429, description: 'The API key’s rate limit (see the RateLimit headers and Retry-After)', applies: (op) => (op.security ?? []).some((s) => 'apiKey' in s) },
  { status: 503, description: 'The database turned the connection away (`database_busy`, with Retry-After); retry as it was', applies: () => true },
]

function secured(op: Operation): boolean {
  return (op.security ?? []).some((requirement) => Object.keys(requirement).length > 0)
}

/** The error codes that travel with `status`. */
export function errorCodesFor(status: number): ErrorCode[] {
  return (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).filter(([, s]) => s === status).map(([code]) => code)
}

const errorSchemaName = (status: number) => `Error${status}`

function errorSchemaFor(status: number): SchemaMap[string] {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: errorCodesFor(status) },
          message: { type: 'string' },
          details: {},
          requestId: { type: 'string' },
        },
      },
    },
  }
}

/**
 * Adds to every operation of `doc` the statuses it inherits from the shared middleware, and points each error response
 * at a schema whose `code` lists the codes of its status. Mutates and answers `doc`.
 */
export function declareInheritedResponses(doc: OpenApiDocument): OpenApiDocument {
  const schemas: SchemaMap = (doc.components ??= {}).schemas ??= {}
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const responses: Responses = (op.responses ??= {})
      for (const rule of INHERITED) {
        if (!(String(rule.status) in responses) && rule.applies(op, path)) responses[String(rule.status)] = { description: rule.description }
      }
      for (const [key, response] of Object.entries(responses)) {
        const status = Number(key)
        if (status < 400 || '$ref' in response || errorCodesFor(status).length === 0) continue
        schemas[errorSchemaName(status)] ??= errorSchemaFor(status)
        response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${errorSchemaName(status)}` } } }
      }
    }
  }
  return doc
}
