// Platform limits and the object's own bounds, named once so every module checks the same numbers.

/** Bound parameters per SQLite statement in a Durable Object: https://developers.cloudflare.com/durable-objects/platform/limits/ */
export const MAX_BOUND_PARAMETERS = 100

/** Largest quantity, delta or on-hand figure accepted; keeps every sum far inside Postgres `integer`. */
export const MAX_QUANTITY = 1_000_000_000

/** Lines in one bulk call to one object, and SKUs in one levels query. */
export const MAX_BULK_LINES = 500

/** Longest SKU, location code, actor or reason. */
export const MAX_TEXT_LENGTH = 200

/** Longest idempotency key a caller may send (the HTTP API's `Idempotency-Key` limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255

/** Longest key an object stores: a caller's key plus room for the suffixes fan-out.ts and the Worker add per phase or shard. */
export const MAX_STORED_IDEMPOTENCY_KEY_LENGTH = MAX_IDEMPOTENCY_KEY_LENGTH + 16

/** Page size bounds for every cursor-paginated listing. */
export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200

/** Idempotency keys are remembered this long, then pruned by the alarm. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/** Reservation lifetime bounds. */
export const MIN_RESERVATION_TTL_SECONDS = 1
export const MAX_RESERVATION_TTL_SECONDS = 7 * 24 * 60 * 60

/** How soon after a change the read model is flushed to Postgres, and how many levels go in one flush. */
export const FLUSH_DELAY_MS = 250
/** While changes keep coming, an object flushes at most this often: one Postgres round trip per object per second. */
export const FLUSH_MIN_INTERVAL_MS = 1_000
export const FLUSH_BATCH_SIZE = 100

/** Backoff after a failed flush: doubles from the base up to the cap. */
export const FLUSH_RETRY_BASE_MS = 1_000
export const FLUSH_RETRY_MAX_MS = 5 * 60 * 1000

/** Levels sent in the snapshot a new subscriber receives; the rest is paged over RPC. */
export const SNAPSHOT_MAX_LEVELS = 500

/** Default location code when a call names none. */
export const DEFAULT_LOCATION = 'main'
