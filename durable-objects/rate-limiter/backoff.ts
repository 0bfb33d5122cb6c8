// Progressive delay for one subject (a sign-in account): a few free attempts, then each further attempt must wait a
// delay that doubles up to a bound. Kept in the object's SQLite so a delay outlives the object's eviction.
import type { BackoffPolicy, BackoffResult } from './types'

/** Table of the subjects this object delays (one row per policy name). */
export const BACKOFF_SCHEMA = `CREATE TABLE IF NOT EXISTS backoff (
  name TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_allowed_ms INTEGER NOT NULL, last_attempt_ms INTEGER NOT NULL)`

interface BackoffRow {
  attempts: number
  next_allowed_ms: number
  last_attempt_ms: number
  [column: string]: SqlStorageValue
}

/** The wait imposed after the `attempts`-th attempt without a success, in seconds (0 while attempts are free). */
export function delayAfter(policy: BackoffPolicy, attempts: number): number {
  if (attempts < policy.freeAttempts) return 0
  const doublings = Math.min(attempts - policy.freeAttempts, 30)
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** doublings)
}

/**
 * Starts one attempt: refused while the current delay runs, otherwise counted as a failure until {@link resetBackoff}
 * says it succeeded, so parallel attempts cannot slip through before their failures are recorded.
 */
export function beginAttempt(sql: SqlStorage, policy: BackoffPolicy, now: number): BackoffResult {
  const row = sql.exec<BackoffRow>('SELECT attempts, next_allowed_ms, last_attempt_ms FROM backoff WHERE name = ?', policy.name).toArray()[0]
  const forgotten = !row || now - row.last_attempt_ms > policy.forgetAfterSeconds * 1000
  const attempts = forgotten ? 0 : row.attempts
  const nextAllowedMs = forgotten ? 0 : row.next_allowed_ms
  if (now < nextAllowedMs) return { allowed: false, attempts, retryAfterSeconds: Math.max(1, Math.ceil((nextAllowedMs - now) / 1000)) }
  const counted = attempts + 1
  sql.exec(
    'INSERT OR REPLACE INTO backoff (name, attempts, next_allowed_ms, last_attempt_ms) VALUES (?, ?, ?, ?)',
    policy.name,
    counted,
    now + delayAfter(policy, counted) * 1000,
    now,
  )
  return { allowed: true, attempts: counted, retryAfterSeconds: 0 }
}

/** Forgets the attempts of `name` (after a success). */
export function resetBackoff(sql: SqlStorage, name: string): void {
  sql.exec('DELETE FROM backoff WHERE name = ?', name)
}
