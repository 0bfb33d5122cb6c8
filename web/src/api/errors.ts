// The API's one error shape as the UI sees it: a message for the banner and, for 400s, one message per field.
import type { Schemas } from './schema'

/** A non-2xx answer from the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown

  constructor(status: number, body: Schemas['Error']['error']) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.details = body.details
  }
}

interface FieldIssue {
  path: string
  message: string
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && 'path' in value && 'message' in value && typeof value.path === 'string' && typeof value.message === 'string'
}

/** Per-field messages of a 400 (`error.details` issues), keyed by the issue's dotted path such as `variants.0.sku`. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {}
  const byField: Record<string, string> = {}
  for (const issue of error.details) {
    if (isFieldIssue(issue) && byField[issue.path] === undefined) byField[issue.path] = issue.message
  }
  return byField
}

/** A sentence for an error banner. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong'
}

/** The same error with its field issues moved under `prefix` (a call about one variant, shown as `variants.2.sku`). */
export function issuesUnder(error: ApiError, prefix: string, dropPrefix = ''): ApiError {
  if (!Array.isArray(error.details)) return error
  const details = error.details.map((issue: unknown) =>
    isFieldIssue(issue) ? { ...issue, path: `${prefix}.${issue.path.startsWith(dropPrefix) ? issue.path.slice(dropPrefix.length) : issue.path}` } : issue,
  )
  return new ApiError(error.status, { code: error.code, message: error.message, details })
}
