// Turns what an Inventory object answers into the API's shapes: failures become ApiErrors, levels become JSON,
// and the caller becomes the ledger's actor.
import type { Caller } from '../auth/context'
import type { InventoryErrorCode, LevelView } from '../../durable-objects/inventory'
import { ApiError } from '../lib/errors'

/** The failure half of an object's answer, as it arrives over RPC. */
export interface ShardFailure {
  ok: false
  error: { code: InventoryErrorCode; message: string; details?: unknown }
}

/** The success half of an object's answer; a failure leaves as the API error of the same code (every inventory code is one). */
export function unwrap<R extends { ok: true } | ShardFailure>(result: R): Extract<R, { ok: true }> {
  if (result.ok) return result as Extract<R, { ok: true }>
  const { error } = result as ShardFailure
  throw new ApiError(error.code, error.message, error.details === undefined ? {} : { details: error.details })
}

/** The ledger actor of a caller: `user:<id>` or `key:<id>`. */
export function stockActor(caller: Caller): string {
  return caller.kind === 'user' ? `user:${caller.userId}` : `key:${caller.keyId}`
}

/** A level as the API shows it. */
export function levelJson(level: LevelView) {
  return {
    sku: level.sku,
    location: level.location,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.available,
    lowStockThreshold: level.lowStockThreshold,
    allowBackorder: level.allowBackorder,
    updatedAt: new Date(level.updatedAt).toISOString(),
  }
}
