// Per-cart actor: lines and the Inventory reservations that hold their stock, expired exactly once by the object's
// alarm. State lives in the object's SQLite, so a restart keeps the lines and their reservations.
import { DurableObject } from 'cloudflare:workers'
import { saveCartSummary } from '../../workers/commerce/cart-summaries'
import { createDatabase } from '../../workers/db/client'
import { HOLD_SCHEMA, recordCartExpired, nextHoldCheck, nudgeHold, ORDER_HOLD_GRACE_SECONDS, readHold, saveHold, settleHolds } from './holds'
import { closeLine, reserveLine, resizeLine } from './stock'
import type { AddLineInput, CartLine, CartResult, CartState, CheckoutInput, CreateCartInput, HoldResult, SaleHoldInput } from './types'

export type { AddLineInput, CartLine, CartResult, CartState, CartStatus, CheckoutInput, CreateCartInput, HoldResult, PricedItem, SaleHoldInput } from './types'

const SCHEMA = [
  `create table if not exists cart (id text primary key, state text not null)`,
  `create table if not exists lines (
    id text primary key, position integer not null, sku text not null, quantity integer not null, location text not null,
    shard integer not null, reservation_id text, renewed_until integer not null, item text not null
  )`,
  HOLD_SCHEMA,
  `create table if not exists summary_due (id integer primary key check (id = 1), due_at integer not null)`,
]

/**
 * The Worker writes a cart's Postgres summary after each call; the alarm writes it again this long after a change, so a
 * write lost with a crash (or a failed one) is made good without waiting for the cart's next call.
 */
export const SUMMARY_BACKSTOP_MS = 5_000
/** When the backstop write itself failed, the next try. */
const SUMMARY_RETRY_MS = 60_000

type Header = Omit<CartState, 'lines' | 'subtotal'> & { ttlSeconds: number; checkoutKey?: string }
type LineRow = { id: string; sku: string; quantity: number; location: string; shard: number; reservation_id: string | null; renewed_until: number; item: string }

const fail = (code: Extract<CartResult, { ok: false }>['error']['code'], message: string): Extract<CartResult, { ok: false }> => ({ ok: false, error: { code, message } })

/** Owns one cart, named `<tenantId>:<cartId>`; mutations run one at a time because each awaits Inventory objects. */
export class Cart extends DurableObject<Env> {
  #queue: Promise<unknown> = Promise.resolve()

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      for (const statement of SCHEMA) ctx.storage.sql.exec(statement)
    })
  }

  /** Starts the cart (once; a second call answers `conflict`). */
  create(input: CreateCartInput): Promise<CartResult> {
    return this.#serial(async () => {
      if (this.#header()) return fail('conflict', 'this cart exists already')
      const now = Date.now()
      const header: Header = { id: input.cartId, tenantId: input.tenantId, currency: input.currency, status: 'active', customerId: input.customerId, email: input.email, secretHash: input.secretHash, orderId: null, expiresAt: now + input.ttlSeconds * 1000, createdAt: now, updatedAt: now, ttlSeconds: input.ttlSeconds }
      this.#saveHeader(header)
      await this.#schedule()
      return { ok: true, cart: this.#state(header) }
    })
  }

  /** The cart, or `not_found` when it was never created. */
  read(): CartResult {
    const header = this.#header()
    return header ? { ok: true, cart: this.#state(header) } : fail('not_found', 'no such cart')
  }

  /** Adds a line (or grows the line of the same SKU and location), reserving its stock first: nothing changes on a refusal. */
  addLine(input: AddLineInput): Promise<CartResult> {
    return this.#mutate(input.ttlSeconds, async (header) => {
      if (header.status === 'expired') this.#reopen(header)
      const same = this.#lines().find((l) => l.sku === input.sku && (input.location === null || l.location === input.location) && l.reservation_id !== null)
      if (same?.reservation_id) {
        const quantity = same.quantity + input.quantity
        const resized = await resizeLine(this.env, header.tenantId, { ...this.#stockLine(same), reservationId: same.reservation_id, quantity, ttlSeconds: input.ttlSeconds, key: crypto.randomUUID(), actor: this.#actor(header) })
        if (resized.ok) {
          this.ctx.storage.sql.exec('update lines set quantity = ?, item = ?, renewed_until = ? where id = ?', quantity, JSON.stringify(input.item), Date.now() + input.ttlSeconds * 1000, same.id)
          return null
        }
        if (resized.error.code !== 'insufficient_stock') return resized
      }
      const reserved = await reserveLine(this.env, header.tenantId, {
        sku: input.sku,
        shard: input.shard,
        quantity: input.quantity,
        locations: input.location === null ? input.locationPriority : [input.location],
        ttlSeconds: input.ttlSeconds,
        key: crypto.randomUUID(),
        actor: this.#actor(header),
      })
      if (!reserved.ok) return reserved
      const position = this.ctx.storage.sql.exec<{ n: number }>('select count(*) as n from lines').one().n
      this.ctx.storage.sql.exec(
        'insert into lines (id, position, sku, quantity, location, shard, reservation_id, renewed_until, item) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        crypto.randomUUID(), position, input.sku, input.quantity, reserved.location, input.shard, reserved.reservationId, Date.now() + input.ttlSeconds * 1000, JSON.stringify(input.item),
      )
      return null
    })
  }

  /** Sets a line's quantity, resizing its reservation (growing needs the units available). */
  updateLine(input: { lineId: string; quantity: number; ttlSeconds: number }): Promise<CartResult> {
    return this.#mutate(input.ttlSeconds, async (header) => {
      if (header.status !== 'active') return fail('cart_expired', 'the cart has expired; add the items again')
      const line = this.#lines().find((l) => l.id === input.lineId)
      if (!line?.reservation_id) return fail('not_found', 'no such line in this cart')
      const resized = await resizeLine(this.env, header.tenantId, { ...this.#stockLine(line), reservationId: line.reservation_id, quantity: input.quantity, ttlSeconds: input.ttlSeconds, key: crypto.randomUUID(), actor: this.#actor(header) })
      if (!resized.ok) return resized
      this.ctx.storage.sql.exec('update lines set quantity = ?, renewed_until = ? where id = ?', input.quantity, Date.now() + input.ttlSeconds * 1000, line.id)
      return null
    })
  }

  /** Removes a line and releases its stock. */
  removeLine(input: { lineId: string; ttlSeconds: number }): Promise<CartResult> {
    return this.#mutate(input.ttlSeconds, async (header) => {
      if (header.status !== 'active') return fail('cart_expired', 'the cart has expired')
      const line = this.#lines().find((l) => l.id === input.lineId)
      if (!line) return fail('not_found', 'no such line in this cart')
      if (line.reservation_id) {
        const released = await closeLine(this.env, header.tenantId, { ...this.#stockLine(line), reservationId: line.reservation_id, key: `${header.id}:remove:${line.reservation_id}`, actor: this.#actor(header) }, 'release')
        if (!released.ok) return released
      }
      this.ctx.storage.sql.exec('delete from lines where id = ?', line.id)
      return null
    })
  }

  /**
   * Checks the cart out into the drafted order: the lines must be the ones the Worker priced, and their reservations are
   * renewed for the payment window; the object then keeps the draft, so the same key answers the same order and the
   * alarm can write the order if the Worker dies before it does. Empty, expired or already checked-out carts are refused.
   */
  checkout(input: CheckoutInput): Promise<HoldResult> {
    return this.#serial(async () => {
      const header = this.#header()
      if (!header) return fail('not_found', 'no such cart')
      if (header.status === 'checked_out') return this.#heldDraft(header, input.key)
      if (header.status === 'expired' || header.expiresAt <= Date.now()) return fail('cart_expired', 'the cart has expired; add the items again')
      const lines = this.#lines()
      if (lines.length === 0) return fail('cart_empty', 'the cart has no lines')
      const same = lines.length === input.expected.length && lines.every((l, i) => l.id === input.expected[i]?.lineId && l.quantity === input.expected[i]?.quantity && l.reservation_id !== null)
      if (!same) return fail('conflict', 'the cart changed during checkout; try again')
      for (const line of lines) {
        if (!line.reservation_id) continue
        const renewed = await resizeLine(this.env, header.tenantId, { ...this.#stockLine(line), reservationId: line.reservation_id, quantity: line.quantity, ttlSeconds: input.holdSeconds + ORDER_HOLD_GRACE_SECONDS, key: crypto.randomUUID(), actor: `order:${input.draft.orderId}` })
        if (!renewed.ok) return renewed
      }
      saveHold(this.ctx.storage.sql, input.draft, Date.now())
      this.#saveHeader({ ...header, status: 'checked_out', orderId: input.draft.orderId, checkoutKey: input.key, updatedAt: Date.now() })
      await this.#schedule()
      return { ok: true, draft: input.draft }
    })
  }

  /**
   * Holds the stock of a point-of-sale sale (this object is named after the sale's order): every line reserved or none,
   * for `ttlSeconds`; the draft is kept so a retry answers the same sale and the alarm finishes it.
   */
  holdForSale(input: SaleHoldInput): Promise<HoldResult> {
    return this.#serial(async () => {
      const sql = this.ctx.storage.sql
      const kept = readHold(sql, input.draft.orderId)
      if (kept) return { ok: true, draft: kept }
      const actor = `order:${input.draft.orderId}`
      const held: { shard: number; sku: string; reservationId: string }[] = []
      const lines = []
      for (const [i, line] of input.draft.lines.entries()) {
        const stock = input.stock[i]
        const reserved = stock ? await reserveLine(this.env, input.draft.tenantId, { sku: line.sku, shard: stock.shard, quantity: line.quantity, locations: stock.locations, ttlSeconds: input.ttlSeconds, key: crypto.randomUUID(), actor }) : fail('invalid_request', 'no stock route for a line')
        if (!reserved.ok) {
          for (const h of held) await closeLine(this.env, input.draft.tenantId, { ...h, key: `${input.draft.orderId}:release:${h.reservationId}`, actor }, 'release')
          return reserved
        }
        held.push({ shard: line.shard, sku: line.sku, reservationId: reserved.reservationId })
        lines.push({ ...line, location: reserved.location, reservationId: reserved.reservationId })
      }
      const draft = { ...input.draft, lines }
      saveHold(sql, draft, Date.now())
      await this.#schedule()
      return { ok: true, draft }
    })
  }

  /** The order draft of a cart checked out with `key` (a checkout retried); `cart_checked_out` for another key. */
  checkedOutDraft(key: string): HoldResult {
    const header = this.#header()
    if (!header) return fail('not_found', 'no such cart')
    return this.#heldDraft(header, key)
  }

  #heldDraft(header: Header, key: string): HoldResult {
    const draft = header.status === 'checked_out' && header.orderId && header.checkoutKey === key ? readHold(this.ctx.storage.sql, header.orderId) : null
    return draft ? { ok: true, draft } : fail('cart_checked_out', 'this cart has been checked out')
  }

  /** Asks for a prompt settlement check of `orderId` (called before money moves, so a crash after it is finished by the alarm). */
  nudge(orderId: string): Promise<boolean> {
    return this.#serial(async () => {
      const found = nudgeHold(this.ctx.storage.sql, orderId, Date.now())
      if (found) await this.#schedule()
      return found
    })
  }

  /**
   * Releases every reservation once the cart's time is up (a second run, or a run after renewal, changes nothing), and
   * settles the orders this object holds stock for; then sets the alarm for whichever comes next.
   */
  override async alarm(): Promise<void> {
    await this.#serial(async () => {
      const header = this.#header()
      if (header?.status === 'active' && header.expiresAt <= Date.now()) {
        await this.#releaseAll(header, 'expire')
        await recordCartExpired(this.env, header)
        this.#saveHeader({ ...header, status: 'expired', updatedAt: Date.now() })
      }
      await settleHolds(this.ctx.storage.sql, this.env, Date.now())
      await this.#saveSummaryWhenDue(Date.now())
      await this.#schedule()
    })
  }

  /** The summary backstop: writes the cart's Postgres summary once its due time has come; a failure retries later. */
  async #saveSummaryWhenDue(now: number): Promise<void> {
    const sql = this.ctx.storage.sql
    const due = this.#summaryDue()
    if (due === null || due > now) return
    const header = this.#header()
    if (!header) return void sql.exec('delete from summary_due')
    const client = createDatabase({ url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER })
    try {
      await saveCartSummary(client.db, this.#state(header))
      sql.exec('delete from summary_due')
    } catch (error) {
      sql.exec('update summary_due set due_at = ?', now + SUMMARY_RETRY_MS)
      console.error(JSON.stringify({ level: 'error', msg: 'cart summary backstop failed', cartId: header.id, error: String(error) }))
    } finally {
      await client.close()
    }
  }

  /** When the pending summary backstop write is due; null when none is pending. */
  #summaryDue(): number | null {
    return this.ctx.storage.sql.exec<{ due_at: number }>('select due_at from summary_due').toArray()[0]?.due_at ?? null
  }

  /** Sets the alarm to the cart's expiry (while active), the next hold check or the summary backstop, whichever is first. */
  async #schedule(): Promise<void> {
    const header = this.#header()
    const candidates = [header?.status === 'active' ? header.expiresAt : null, nextHoldCheck(this.ctx.storage.sql), this.#summaryDue()].filter((at): at is number => at !== null)
    if (candidates.length === 0) await this.ctx.storage.deleteAlarm()
    else await this.ctx.storage.setAlarm(Math.min(...candidates))
  }

  async #releaseAll(header: Header, reason: string): Promise<void> {
    for (const line of this.#lines()) {
      if (!line.reservation_id) continue
      const released = await closeLine(this.env, header.tenantId, { ...this.#stockLine(line), reservationId: line.reservation_id, key: `${header.id}:${reason}:${line.reservation_id}`, actor: this.#actor(header) }, 'release')
      if (!released.ok) throw new Error(`releasing ${line.reservation_id} failed: ${released.error.message}`)
      this.ctx.storage.sql.exec('update lines set reservation_id = null where id = ?', line.id)
    }
  }

  /** An expired cart's lines lost their stock: a new add starts it afresh. */
  #reopen(header: Header): void {
    this.ctx.storage.sql.exec('delete from lines')
    header.status = 'active'
  }

  /** Runs a change of an existing cart, then renews the cart's expiry and its lines' reservations (activity renews them). */
  #mutate(ttlSeconds: number, change: (header: Header) => Promise<CartResult | null>): Promise<CartResult> {
    return this.#serial(async () => {
      const header = this.#header()
      if (!header) return fail('not_found', 'no such cart')
      if (header.status === 'checked_out') return fail('cart_checked_out', 'this cart has been checked out')
      const refused = await change(header)
      if (refused) return refused
      const now = Date.now()
      const renewed = { ...header, ttlSeconds, expiresAt: now + ttlSeconds * 1000, updatedAt: now }
      await this.#renewStale(renewed, now)
      this.#saveHeader(renewed)
      await this.#schedule()
      return { ok: true, cart: this.#state(renewed) }
    })
  }

  /** Renews reservations with less than half the TTL left, so an active shopper never loses stock. */
  async #renewStale(header: Header, now: number): Promise<void> {
    const halfway = now + (header.ttlSeconds * 1000) / 2
    for (const line of this.#lines()) {
      if (!line.reservation_id || line.renewed_until > halfway) continue
      const renewed = await resizeLine(this.env, header.tenantId, { ...this.#stockLine(line), reservationId: line.reservation_id, quantity: line.quantity, ttlSeconds: header.ttlSeconds, key: crypto.randomUUID(), actor: this.#actor(header) })
      if (renewed.ok) this.ctx.storage.sql.exec('update lines set renewed_until = ? where id = ?', now + header.ttlSeconds * 1000, line.id)
    }
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(run, run)
    this.#queue = next.catch(() => undefined)
    return next
  }

  #actor(header: Header): string {
    return `cart:${header.id}`
  }

  #stockLine(line: LineRow): { sku: string; shard: number } {
    return { sku: line.sku, shard: line.shard }
  }

  #header(): Header | null {
    const row = this.ctx.storage.sql.exec<{ state: string }>('select state from cart limit 1').toArray()[0]
    return row ? (JSON.parse(row.state) as Header) : null
  }

  /** Stores the header and, unless one is pending already, a summary backstop write. */
  #saveHeader(header: Header): void {
    const sql = this.ctx.storage.sql
    sql.exec('insert into cart (id, state) values (?, ?) on conflict (id) do update set state = excluded.state', header.id, JSON.stringify(header))
    sql.exec('insert into summary_due (id, due_at) values (1, ?) on conflict (id) do nothing', Date.now() + SUMMARY_BACKSTOP_MS)
  }

  #lines(): LineRow[] {
    return this.ctx.storage.sql.exec<LineRow>('select * from lines order by position').toArray()
  }

  #state(header: Header): CartState {
    const lines: CartLine[] = this.#lines().map((row) => {
      const item = JSON.parse(row.item) as CartLine
      return { ...item, id: row.id, sku: row.sku, quantity: row.quantity, location: row.location, shard: row.shard, reservationId: row.reservation_id, lineTotal: item.unitPrice * row.quantity }
    })
    const { id, tenantId, currency, status, customerId, email, secretHash, orderId, expiresAt, createdAt, updatedAt } = header
    const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0)
    return { id, tenantId, currency, status, customerId, email, secretHash, orderId, expiresAt, createdAt, updatedAt, lines, subtotal }
  }
}
