// Exactly-once mutations: a key remembers its payload's fingerprint and first result for 24 hours; a retry replays it.
import { IDEMPOTENCY_TTL_MS } from './limits'
import type { AlertView } from './alerts'
import type { ChangeContext } from './levels'
import { failure, OperationFailure, type InventoryResult, type LevelView } from './results'

/** What every mutating call carries. */
export interface MutationRequest {
  idempotencyKey: string
  actor: string
}

/** The result of a mutation, plus what changed so the object can broadcast it and schedule its read-model flush. */
export interface Executed<T extends object> {
  result: InventoryResult<T & { levels: LevelView[]; replayed: boolean }>
  changed: LevelView[]
  raised: AlertView[]
}

/** The body of a mutation: runs inside one transaction and throws `OperationFailure` to roll it back. */
export type MutationBody<I, T extends object> = (ctx: ChangeContext, input: I) => T

/** Serializes a value with object keys sorted, so equal payloads always give equal fingerprints. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The fingerprint of one call: the operation and every field of its (validated) input but the key itself. */
export function fingerprintOf(operation: string, input: MutationRequest): string {
  return canonicalJson({ operation, payload: { ...input, idempotencyKey: undefined } })
}

function remember(sql: SqlStorage, key: string, fingerprint: string, result: unknown, now: number): void {
  sql.exec('insert into idempotency (key, fingerprint, result, expires_at) values (?, ?, ?, ?)', key, fingerprint, JSON.stringify(result), now + IDEMPOTENCY_TTL_MS)
}

/**
 * Runs `body` once per idempotency key, atomically. A retry with the same payload returns the first result
 * (passed through `refresh` when the caller needs live state) and changes nothing; another payload under the
 * same key is an `idempotency_conflict`. Business failures are remembered too, so a retry cannot turn a refusal into a sale.
 */
export function executeMutation<I extends MutationRequest, T extends object>(
  storage: DurableObjectStorage,
  operation: string,
  input: I,
  body: MutationBody<I, T>,
  refresh: (stored: T) => T = (stored) => stored,
): Executed<T> {
  const sql = storage.sql
  const fingerprint = fingerprintOf(operation, input)
  const ctx: ChangeContext = { sql, now: Date.now(), actor: input.actor, idempotencyKey: input.idempotencyKey, changed: new Map(), raised: [] }
  try {
    const result = storage.transactionSync((): Executed<T>['result'] => {
      const seen = sql.exec<{ fingerprint: string; result: string }>('select fingerprint, result from idempotency where key = ?', input.idempotencyKey).toArray()[0]
      if (seen && seen.fingerprint !== fingerprint) {
        return failure('idempotency_conflict', 'this idempotency key was used with a different request', { idempotencyKey: input.idempotencyKey })
      }
      if (seen) {
        const stored = JSON.parse(seen.result) as Executed<T>['result']
        return stored.ok ? { ...stored, ...refresh(stored), ok: true, replayed: true } : stored
      }
      const value = body(ctx, input)
      const done = { ...value, ok: true as const, levels: [...ctx.changed.values()], replayed: false }
      remember(sql, input.idempotencyKey, fingerprint, done, ctx.now)
      return done
    })
    const fresh = result.ok && !result.replayed
    return { result, changed: fresh ? [...ctx.changed.values()] : [], raised: fresh ? ctx.raised : [] }
  } catch (error) {
    if (!(error instanceof OperationFailure)) throw error
    const result = { ok: false as const, error: error.error }
    remember(sql, input.idempotencyKey, fingerprint, result, ctx.now)
    return { result, changed: [], raised: [] }
  }
}

/** Deletes expired keys; answers how many went. */
export function pruneIdempotency(sql: SqlStorage, now: number): number {
  return sql.exec('delete from idempotency where expires_at <= ?', now).rowsWritten
}

/** When the oldest remembered key expires, if any. */
export function nextIdempotencyExpiry(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>('select min(expires_at) as at from idempotency').one().at
}
