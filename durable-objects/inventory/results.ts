// What every Inventory RPC answers: a discriminated union the Worker maps to HTTP without guessing.

/** Error codes the object answers with; each is also an API error code (workers/lib/errors.ts), so the Worker passes it through. */
export type InventoryErrorCode =
  | 'invalid_request'
  | 'invalid_cursor'
  | 'unknown_sku'
  | 'insufficient_stock'
  | 'stale_quantity'
  | 'idempotency_conflict'
  | 'reservation_not_found'
  | 'reservation_closed'
  | 'alert_not_found'

type DetailScalar = string | number | boolean | null

/** Machine-readable error details: flat JSON, typed so they survive RPC serialization and its (non-recursive) types. */
export type ErrorDetails = Record<string, DetailScalar | DetailScalar[]> | Record<string, DetailScalar>[]

/** The error half of every result. */
export interface InventoryError {
  code: InventoryErrorCode
  message: string
  details?: ErrorDetails
}

/** A result: the payload with `ok: true`, or an error with `ok: false`. */
export type InventoryResult<T extends object> = ({ ok: true } & T) | { ok: false; error: InventoryError }

/** Builds the failure half of a result. */
export function failure(code: InventoryErrorCode, message: string, details?: ErrorDetails): { ok: false; error: InventoryError } {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } }
}

/** Thrown inside a transaction to roll it back and answer with `error`. */
export class OperationFailure extends Error {
  readonly error: InventoryError

  constructor(code: InventoryErrorCode, message: string, details?: ErrorDetails) {
    super(message)
    this.name = 'OperationFailure'
    this.error = failure(code, message, details).error
  }
}

/** One stock level as the object reports it. */
export interface LevelView {
  sku: string
  location: string
  onHand: number
  reserved: number
  available: number
  lowStockThreshold: number | null
  allowBackorder: boolean
  version: number
  updatedAt: number
}

/** What a stock mutation answers: the levels it touched, and whether this was a retry of an earlier call. */
export interface MutationOutcome {
  levels: LevelView[]
  replayed: boolean
}

/** A page of a cursor-paginated listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[]
  nextCursor: string | null
}
