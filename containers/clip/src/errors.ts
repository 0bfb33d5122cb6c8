// The one error type of the embedding pipeline; the HTTP layer turns it into `{ error: { code, message, details } }`.

export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'payload_too_large'
  | 'image_too_large'
  | 'unsupported_media_type'
  | 'invalid_image'
  | 'queue_full'
  | 'model_unavailable'
  | 'internal'

/** An expected failure with its HTTP status; anything else is reported as a 500. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The wire shape of every error response. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: unknown,
): { error: { code: ErrorCode; message: string; details?: unknown } } {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}
