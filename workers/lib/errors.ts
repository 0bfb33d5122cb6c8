// The one error shape every response leaves with: {"error": {"code", "message", "details"?}} and the right status.
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Machine-readable error codes the API answers with, and the HTTP status each one carries. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  membership_revoked: 401,
  forbidden: 403,
  email_unverified: 403,
  invitation_email_mismatch: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  last_owner: 409,
  already_member: 409,
  account_exists: 409,
  invitation_pending: 409,
  invitation_expired: 410,
  invitation_used: 410,
  invitation_revoked: 410,
  sku_taken: 409,
  slug_taken: 409,
  customer_email_taken: 409,
  insufficient_stock: 409,
  stale_quantity: 409,
  idempotency_conflict: 409,
  reservation_closed: 409,
  cart_expired: 409,
  cart_checked_out: 409,
  cart_empty: 409,
  price_changed: 409,
  order_cancelled: 409,
  payment_window_lapsed: 409,
  overpayment: 409,
  refund_exceeds_paid: 409,
  order_not_cancellable: 409,
  over_fulfillment: 409,
  order_not_paid: 409,
  payments_account_not_ready: 409,
  plan_not_for_sale: 409,
  tenant_not_empty: 409,
  archive_not_ready: 409,
  invalid_archive: 400,
  unknown_sku: 400,
  reservation_not_found: 404,
  alert_not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  quota_exceeded: 429,
  internal: 500,
  payment_provider_error: 502,
  service_unavailable: 503,
  database_busy: 503,
  model_unavailable: 503,
  payments_not_configured: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof ERROR_STATUS

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode | (string & {}); message: string; details?: unknown; requestId?: string }
}

/** An error a handler throws on purpose; the app's error handler turns it into the JSON shape. */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly status: ContentfulStatusCode
  readonly details: unknown
  readonly headers: Record<string, string>

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = ERROR_STATUS[code]
    this.details = options.details
    this.headers = options.headers ?? {}
  }
}

/** Maps an HTTP status raised by a library (hono's HTTPException, body limits) to our error code. */
export function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(ERROR_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status)
  return match ? match[0] : status >= 500 ? 'internal' : 'invalid_request'
}

/** Builds the error body, leaving out `details` when there are none. */
export function errorBody(code: ErrorCode, message: string, details?: unknown, requestId?: string): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), ...(requestId ? { requestId } : {}) } }
}
