// Worker-side operations spanning several shards of one tenant: a bulk sale that is all or nothing across shards
// (reserve on every shard, then commit everywhere, or release what was taken) and a parallel availability check.
import { DEFAULT_LOCATION, MAX_BULK_LINES, MAX_IDEMPOTENCY_KEY_LENGTH } from './limits'
import type { ReservationView } from './reservations'
import { failure, type InventoryError, type ErrorDetails, type InventoryResult, type LevelView } from './results'
import { groupByShard, inventoryStub, MAX_SHARD_COUNT } from './shards'

/** How long phase-1 holds last: long enough for phase 2, short enough that a lost rollback heals itself quickly. */
export const FAN_OUT_HOLD_SECONDS = 60

/** A bulk sale for one tenant, whatever shards its SKUs live on. */
export interface CrossShardReduceInput {
  tenantId: string
  shardCount: number
  idempotencyKey: string
  actor: string
  reason?: string
  lines: { sku: string; location?: string; quantity: number }[]
}

/** What a cross-shard sale answers: the levels it left behind on every shard involved. */
export type CrossShardReduceResult = InventoryResult<{ levels: LevelView[]; shards: number[]; replayed: boolean }>

type Held = { shard: number; stub: ReturnType<typeof inventoryStub>; reservation: ReservationView; replayed: boolean }

function validateFanOut(input: { tenantId: string; shardCount: number; lines: unknown[] }, idempotencyKey?: string): InventoryError | null {
  const problems: { path: string; message: string }[] = []
  if (input.tenantId.length === 0) problems.push({ path: 'tenantId', message: 'required' })
  if (!Number.isInteger(input.shardCount) || input.shardCount < 1 || input.shardCount > MAX_SHARD_COUNT) {
    problems.push({ path: 'shardCount', message: `an integer from 1 to ${MAX_SHARD_COUNT}` })
  }
  if (input.lines.length < 1 || input.lines.length > MAX_BULK_LINES) problems.push({ path: 'lines', message: `1 to ${MAX_BULK_LINES} lines` })
  if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    problems.push({ path: 'idempotencyKey', message: `1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` })
  }
  return problems.length === 0 ? null : failure('invalid_request', 'the request is not valid', problems).error
}

/**
 * Sells every line or none across shards. One shard: a single atomic `reduce`. Several: phase 1 reserves on
 * each shard (each atomic) one after another in ascending shard order, so concurrent sales never hold each
 * other's stock in a cycle and fail together while stock remains; if a shard refuses, the reservations already
 * taken are released and its failure is returned. Phase 2 commits every reservation in parallel. Retrying
 * with the same key replays each shard's first answer, so a retry rolls a half-finished commit forward and
 * never sells twice. Expiry of the phase-1 holds (`FAN_OUT_HOLD_SECONDS`) returns stock a crashed caller
 * never released; a commit arriving after that expiry is reported as `reservation_closed` with the shards
 * that did commit.
 */
export async function reduceAcrossShards(env: Pick<Env, 'INVENTORY'>, input: CrossShardReduceInput): Promise<CrossShardReduceResult> {
  const invalid = validateFanOut(input, input.idempotencyKey)
  if (invalid) return { ok: false, error: invalid }
  const groups = [...groupByShard(input.lines, input.shardCount)].sort(([a], [b]) => a - b)
  const shards = groups.map(([shard]) => shard)
  const [only] = groups
  if (groups.length === 1 && only) {
    const stub = inventoryStub(env, input.tenantId, only[0])
    const result = await stub.reduce({ idempotencyKey: input.idempotencyKey, actor: input.actor, reason: input.reason, lines: only[1] })
    return result.ok ? { ok: true, levels: result.levels, shards, replayed: result.replayed } : result
  }

  const held: Held[] = []
  for (const [shard, lines] of groups) {
    try {
      const stub = inventoryStub(env, input.tenantId, shard)
      const result = await stub.reserve({ idempotencyKey: `${input.idempotencyKey}:reserve`, actor: input.actor, ttlSeconds: FAN_OUT_HOLD_SECONDS, lines })
      if (!result.ok) {
        await releaseHeld(held, input)
        return { ok: false, error: result.error }
      }
      held.push({ shard, stub, reservation: result.reservation, replayed: result.replayed })
    } catch (error) {
      await releaseHeld(held, input)
      throw error
    }
  }
  if (held.some((h) => h.reservation.status === 'released' || h.reservation.status === 'expired')) {
    await releaseHeld(held, input)
    return failure('reservation_closed', 'this bulk sale was rolled back earlier; retry it with a new idempotency key', { shards })
  }

  const commits = await Promise.all(
    held.map(async (h) => ({
      shard: h.shard,
      result: await h.stub.commit({ idempotencyKey: `${input.idempotencyKey}:commit`, actor: input.actor, reservationId: h.reservation.id }),
    })),
  )
  const refused = commits.filter((c) => !c.result.ok).map((c) => c.shard)
  if (refused.length > 0) {
    const committed = commits.filter((c) => c.result.ok).map((c) => c.shard)
    return failure('reservation_closed', 'some shards could not commit their phase-1 hold', { committed, refused })
  }
  return {
    ok: true,
    levels: commits.flatMap((c) => (c.result.ok ? c.result.levels : [])),
    shards,
    replayed: held.every((h) => h.replayed) && commits.every((c) => c.result.ok && c.result.replayed),
  }
}

async function releaseHeld(held: Held[], input: CrossShardReduceInput): Promise<void> {
  await Promise.all(
    held
      .filter((h) => h.reservation.status === 'held')
      .map((h) => h.stub.release({ idempotencyKey: `${input.idempotencyKey}:release`, actor: input.actor, reservationId: h.reservation.id })),
  )
}

/** An availability check for one tenant across shards. */
export interface CrossShardCheckInput {
  tenantId: string
  shardCount: number
  skus: string[]
  location?: string
}

/** Available stock of every SKU at one location, asking all shards involved in parallel; `unknown_sku` lists every unregistered SKU. */
export async function checkAcrossShards(env: Pick<Env, 'INVENTORY'>, input: CrossShardCheckInput): Promise<InventoryResult<{ available: Record<string, number> }>> {
  const invalid = validateFanOut({ ...input, lines: input.skus })
  if (invalid) return { ok: false, error: invalid }
  const groups = [...groupByShard(input.skus.map((sku) => ({ sku })), input.shardCount)]
  const results = await Promise.all(
    groups.map(async ([shard, items]) => {
      const stub = inventoryStub(env, input.tenantId, shard)
      return stub.check({ skus: items.map((item) => item.sku), location: input.location ?? DEFAULT_LOCATION })
    }),
  )
  const available: Record<string, number> = {}
  const unknownSkus: string[] = []
  for (const result of results) {
    if (result.ok) Object.assign(available, result.available)
    else if (result.error.code === 'unknown_sku') unknownSkus.push(...skusOf(result.error.details))
    else return { ok: false, error: result.error }
  }
  if (unknownSkus.length > 0) return failure('unknown_sku', `${unknownSkus.length} SKU(s) are not registered`, { skus: unknownSkus })
  return { ok: true, available }
}

function skusOf(details: ErrorDetails | undefined): string[] {
  const skus = typeof details === 'object' && details !== null && !Array.isArray(details) ? details.skus : undefined
  return Array.isArray(skus) ? skus.filter((sku): sku is string => typeof sku === 'string') : []
}
