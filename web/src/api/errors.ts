// The API's one error shape as the UI sees it: a translated message for the banner and, for 400s, one per field.
// The API keeps stable codes and English texts; known codes are translated here, unknown ones show the API's text.
import { t, type MessageKey } from '../i18n'
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
  code?: string
  minimum?: number
  maximum?: number
  origin?: string
}

/** The banner text of each error code the UI knows. */
const CODE_MESSAGES: Record<string, MessageKey> = {
  invitation_email_mismatch: 'error.invitation_email_mismatch',
  account_exists: 'error.account_exists',
  email_unverified: 'error.email_unverified',
  invitation_used: 'error.invitation_used',
  invitation_expired: 'error.invitation_expired',
  invitation_revoked: 'error.invitation_revoked',
  membership_revoked: 'error.membership_revoked',
  already_member: 'error.already_member',
  invitation_pending: 'error.invitation_pending',
  network: 'error.network',
  http_error: 'error.http_error',
  invalid_request: 'error.invalid_request',
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  method_not_allowed: 'error.method_not_allowed',
  conflict: 'error.conflict',
  email_taken: 'error.email_taken',
  last_owner: 'error.last_owner',
  sku_taken: 'error.sku_taken',
  slug_taken: 'error.slug_taken',
  customer_email_taken: 'error.customer_email_taken',
  insufficient_stock: 'error.insufficient_stock',
  stale_quantity: 'error.stale_quantity',
  idempotency_conflict: 'error.idempotency_conflict',
  reservation_closed: 'error.reservation_closed',
  unknown_sku: 'error.unknown_sku',
  reservation_not_found: 'error.reservation_not_found',
  alert_not_found: 'error.alert_not_found',
  payload_too_large: 'error.payload_too_large',
  tenant_not_empty: 'error.tenant_not_empty',
  archive_not_ready: 'error.archive_not_ready',
  invalid_archive: 'error.invalid_archive',
  unsupported_media_type: 'error.unsupported_media_type',
  rate_limited: 'error.rate_limited',
  quota_exceeded: 'error.quota_exceeded',
  internal: 'error.internal',
  service_unavailable: 'error.service_unavailable',
  model_unavailable: 'error.model_unavailable',
  database_busy: 'error.database_busy',
  payments_not_configured: 'error.payments_not_configured',
  payment_provider_error: 'error.payment_provider_error',
  payments_account_not_ready: 'error.payments_account_not_ready',
  plan_not_for_sale: 'error.plan_not_for_sale',
  order_cancelled: 'error.order_cancelled',
  payment_window_lapsed: 'error.payment_window_lapsed',
  overpayment: 'error.overpayment',
  refund_exceeds_paid: 'error.refund_exceeds_paid',
  order_not_cancellable: 'error.order_not_cancellable',
  over_fulfillment: 'error.over_fulfillment',
  order_not_paid: 'error.order_not_paid',
}

function detailParams(details: unknown): Record<string, string | number> {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return {}
  const params: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(details)) if (typeof value === 'string' || typeof value === 'number') params[name] = value
  return params
}

/** What a well-formed value looks like, by the last segment of the field's path, for `invalid_format` issues. */
const FORMAT_HINTS: Record<string, MessageKey> = {
  sku: 'issue.format.sku',
  key: 'issue.format.key',
  slug: 'issue.format.slug',
  currency: 'issue.format.currency',
  email: 'issue.format.email',
  location: 'issue.format.location',
}

/** One validation issue in the UI's language, from its zod code and bounds. */
export function issueMessage(issue: FieldIssue): string {
  const { code, minimum, maximum, origin } = issue
  if (code === 'too_small' && minimum !== undefined) {
    if (origin === 'string') return minimum <= 1 ? t('issue.required') : t('issue.too_short', { count: minimum })
    if (origin === 'array' || origin === 'set') return t('issue.too_few', { count: minimum })
    return t('issue.too_small', { minimum })
  }
  if (code === 'too_big' && maximum !== undefined) {
    if (origin === 'string') return t('issue.too_long', { count: maximum })
    if (origin === 'array' || origin === 'set') return t('issue.too_many', { count: maximum })
    return t('issue.too_big', { maximum })
  }
  if (code === 'too_small') return t('issue.required')
  if (code === 'invalid_type') return t('issue.invalid_type')
  if (code === 'invalid_format') {
    const hint = FORMAT_HINTS[issue.path.split('.').at(-1) ?? '']
    return hint ? t(hint) : t('issue.invalid_format')
  }
  if (code === 'invalid_value') return t('issue.invalid_value')
  if (code === 'unrecognized_keys') return t('issue.unrecognized_keys')
  if (code === 'not_multiple_of') return t('issue.not_multiple_of')
  if (code === 'custom' || code === 'invalid_union') return t('issue.invalid')
  return issue.message
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && 'path' in value && 'message' in value && typeof value.path === 'string' && typeof value.message === 'string'
}

/** Per-field messages of a 400 (`error.details` issues), keyed by the issue's dotted path such as `variants.0.sku`. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {}
  const byField: Record<string, string> = {}
  for (const issue of error.details) {
    if (isFieldIssue(issue) && byField[issue.path] === undefined) byField[issue.path] = issueMessage(issue)
  }
  return byField
}

/** A sentence for an error banner, in the UI's language; the API's own text only for a code the UI does not know. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = CODE_MESSAGES[error.code]
    if (!key) return error.message
    const params: Record<string, string | number> = { status: error.status, ...detailParams(error.details) }
    if (error.code === 'insufficient_stock' && typeof params.available === 'number') return t('error.insufficient_stock_available', params)
    if (error.code === 'invalid_request' && Array.isArray(error.details)) {
      const first = error.details.find(isFieldIssue)
      if (first) return t('error.invalid_field', { field: first.path || '—', problem: issueMessage(first) })
    }
    return t(key, params)
  }
  return t('error.unknown')
}

/** The same error with its field issues moved under `prefix` (a call about one variant, shown as `variants.2.sku`). */
export function issuesUnder(error: ApiError, prefix: string, dropPrefix = ''): ApiError {
  if (!Array.isArray(error.details)) return error
  const details = error.details.map((issue: unknown) =>
    isFieldIssue(issue) ? { ...issue, path: `${prefix}.${issue.path.startsWith(dropPrefix) ? issue.path.slice(dropPrefix.length) : issue.path}` } : issue,
  )
  return new ApiError(error.status, { code: error.code, message: error.message, details })
}
