// The room's share of the tenant's monthly chat quota: leased from the RateLimiter CHAT_QUOTA_LEASE units at a time, spent
// one per shopper message inside the message's own transaction, and given back when the room goes quiet or closes.
import { leaseMonthlyQuota, returnMonthlyQuota } from '../../workers/auth/monthly-quota'
import { LEASE_IDLE_MS, CHAT_QUOTA_LEASE } from '../../workers/chat/limits'
import { createDatabase, type DatabaseClient, type DatabaseConfig } from '../../workers/db/client'
import * as store from './store'

const utcMonth = (ms: number) => new Date(ms).toISOString().slice(0, 7)

/** The lease of one room, kept in its SQLite (`quota_lease`). */
export class QuotaLease {
  /** The lease being taken, which frames arriving meanwhile wait for instead of taking their own. */
  #refilling: Promise<void> | null = null

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
    private readonly database: () => DatabaseConfig,
  ) {}

  /** Whether this month's lease has a unit to spend; check and append without an await between them. */
  ready(now = Date.now()): boolean {
    return store.leaseUnits(this.sql, utcMonth(now)) > 0
  }

  /**
   * Takes a new lease for `tenantId` (an earlier month's units are given back first) and adds it to what the room holds;
   * throws the 429 `quota_exceeded` ApiError when the month's quota is spent. Frames arriving meanwhile share the call.
   */
  refill(tenantId: string): Promise<void> {
    this.#refilling ??= this.#take(tenantId).finally(() => {
      this.#refilling = null
    })
    return this.#refilling
  }

  async #take(tenantId: string): Promise<void> {
    const period = utcMonth(Date.now())
    await this.#giveBack(tenantId, store.leaseRows(this.sql).filter((row) => row.period !== period))
    let client: DatabaseClient | undefined
    try {
      const grant = await leaseMonthlyQuota(this.env, () => (client ??= createDatabase(this.database())).db, tenantId, 'chat_messages', CHAT_QUOTA_LEASE)
      store.addLease(this.sql, { ...grant.charged, units: grant.units, touchedAt: Date.now() })
    } finally {
      await client?.close()
    }
  }

  /** Spends one unit for a shopper message; run inside the message's `transactionSync`, which a missing unit rolls back. */
  spend(now: number): void {
    if (!store.spendLeaseUnit(this.sql, utcMonth(now), now)) throw new Error('no chat quota unit leased for this message')
  }

  /** From the alarm: gives the units back once the room is quiet for LEASE_IDLE_MS or closed, and an earlier month's always. */
  async release(tenantId: string, closed: boolean): Promise<void> {
    const now = Date.now()
    if (store.leaseRetryAt(this.sql) > now) return
    const idle = closed || now - store.leaseTouchedAt(this.sql) >= LEASE_IDLE_MS
    const period = utcMonth(now)
    await this.#giveBack(tenantId, store.leaseRows(this.sql).filter((row) => idle || row.period !== period))
  }

  /** When the alarm must next run {@link release}; null without a lease. */
  deadline(closed: boolean, now: number): number | null {
    const rows = store.leaseRows(this.sql)
    if (rows.length === 0) return null
    const period = utcMonth(now)
    const due = closed || rows.some((row) => row.period !== period) ? now : store.leaseTouchedAt(this.sql) + LEASE_IDLE_MS
    return Math.max(due, store.leaseRetryAt(this.sql))
  }

  /** Returns each row to its own month and day; the row leaves first so no message spends it meanwhile, and a failure puts it back. */
  async #giveBack(tenantId: string, rows: store.LeaseRow[]): Promise<void> {
    for (const row of rows) {
      store.dropLease(this.sql, row)
      try {
        await returnMonthlyQuota(this.env, tenantId, 'chat_messages', { period: row.period, day: row.day }, row.units)
      } catch (error) {
        store.addLease(this.sql, row)
        store.setLeaseRetryAt(this.sql, Date.now() + LEASE_IDLE_MS)
        console.error(JSON.stringify({ level: 'error', msg: 'chat quota give-back failed', tenantId, units: row.units, error: String(error) }))
        return
      }
    }
  }
}
