// The Cart object's calls to the Inventory objects that own its SKUs: reserve at a location (or the first of the
// tenant's priority order with enough), resize, renew and release; every call is idempotent by its key.
import type { InventoryError } from '../inventory/results'
import { inventoryStub } from '../inventory/shards'
import type { CartResult } from './types'

/** Extra time an Inventory reservation outlives its cart, so the cart's alarm (not the Inventory's) releases it once. */
export const RESERVATION_GRACE_SECONDS = 60

/** The parts of a line a stock call needs. */
export interface StockLine {
  sku: string
  shard: number
}

type Failure = Extract<CartResult, { ok: false }>

function asFailure(error: InventoryError): Failure {
  const code = error.code === 'insufficient_stock' || error.code === 'unknown_sku' || error.code === 'invalid_request' ? error.code : 'conflict'
  return { ok: false, error: { code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } }
}

/**
 * Reserves `quantity` of the SKU at `locations` in order until one has enough; answers the reservation and its location,
 * or `insufficient_stock` with what is available at each location (`unknown_sku` when no location knows the SKU).
 */
export async function reserveLine(
  env: Pick<Env, 'INVENTORY'>,
  tenantId: string,
  line: StockLine & { quantity: number; locations: string[]; ttlSeconds: number; key: string; actor: string },
): Promise<{ ok: true; reservationId: string; location: string } | Failure> {
  const stub = inventoryStub(env, tenantId, line.shard)
  let unknownEverywhere = true
  for (const location of line.locations) {
    const result = await stub.reserve({
      idempotencyKey: `${line.key}:${location}`,
      actor: line.actor,
      ttlSeconds: line.ttlSeconds + RESERVATION_GRACE_SECONDS,
      lines: [{ sku: line.sku, location, quantity: line.quantity }],
    })
    if (result.ok) return { ok: true, reservationId: result.reservation.id, location }
    if (result.error.code === 'insufficient_stock') unknownEverywhere = false
    else if (result.error.code !== 'unknown_sku') return asFailure(result.error)
  }
  if (unknownEverywhere) return { ok: false, error: { code: 'unknown_sku', message: `SKU ${line.sku} is not stocked at ${line.locations.join(', ')}`, details: { sku: line.sku } } }
  const levels = await stub.getLevels({ skus: [line.sku] })
  const atLocations = levels.ok ? levels.levels.filter((l) => line.locations.includes(l.location)) : []
  const details = atLocations.map((l) => ({ sku: line.sku, location: l.location, requested: line.quantity, available: Math.max(0, l.available) }))
  return { ok: false, error: { code: 'insufficient_stock', message: `Not enough ${line.sku} in stock for ${line.quantity}`, details } }
}

/** Sets a line's reserved quantity and renews it for `ttlSeconds` (plus the grace). */
export async function resizeLine(
  env: Pick<Env, 'INVENTORY'>,
  tenantId: string,
  line: StockLine & { reservationId: string; quantity: number; ttlSeconds: number; key: string; actor: string },
): Promise<{ ok: true } | Failure> {
  const stub = inventoryStub(env, tenantId, line.shard)
  const result = await stub.resize({
    idempotencyKey: line.key,
    actor: line.actor,
    reservationId: line.reservationId,
    quantity: line.quantity,
    ttlSeconds: line.ttlSeconds + RESERVATION_GRACE_SECONDS,
  })
  return result.ok ? { ok: true } : asFailure(result.error)
}

/** Releases or commits a reservation; a reservation already closed (or gone) counts as done, so repeating it is harmless. */
export async function closeLine(
  env: Pick<Env, 'INVENTORY'>,
  tenantId: string,
  line: StockLine & { reservationId: string; key: string; actor: string; reason?: string },
  action: 'release' | 'commit',
): Promise<{ ok: true; status: string } | Failure> {
  const stub = inventoryStub(env, tenantId, line.shard)
  const input = { idempotencyKey: line.key, actor: line.actor, reservationId: line.reservationId, ...(line.reason === undefined ? {} : { reason: line.reason }) }
  const result = action === 'release' ? await stub.release(input) : await stub.commit(input)
  if (result.ok) return { ok: true, status: result.reservation.status }
  if (result.error.code === 'reservation_closed' || result.error.code === 'reservation_not_found') {
    const details = result.error.details
    const status = details && !Array.isArray(details) && typeof details.status === 'string' ? details.status : 'gone'
    return { ok: true, status }
  }
  return asFailure(result.error)
}
