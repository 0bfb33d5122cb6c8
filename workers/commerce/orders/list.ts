// Listing orders: filters (status, payment, fulfillment, customer, created between, `q` on number, email and name),
// newest first by keyset, and the same filters streamed as CSV a page at a time so memory stays flat.
import { and, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm'
import { csvLine } from '../../catalog/import/csv'
import type { Database, DatabaseClient } from '../../db/client'
import { orders, type FulfillmentStatus, type OrderStatus, type PaymentStatus } from '../../db/schema/orders'
import { newestFirst, olderThan, timestampText, toPage } from '../../lib/pagination'
import { orderSummaryJson, type OrderRow } from './store'

/** The filters of the list and the export. */
export interface OrderFilters {
  status?: OrderStatus | undefined
  paymentStatus?: PaymentStatus | undefined
  fulfillmentStatus?: FulfillmentStatus | undefined
  customerId?: string | undefined
  createdFrom?: string | undefined
  createdTo?: string | undefined
  q?: string | undefined
}

/** Rows per export query. */
const EXPORT_PAGE_SIZE = 500

/** The columns of the CSV export. */
export const EXPORT_COLUMNS = ['number', 'id', 'created_at', 'status', 'payment_status', 'fulfillment_status', 'channel', 'email', 'customer_name', 'currency', 'subtotal', 'shipping', 'tax', 'total', 'paid', 'refunded'] as const

function searchCondition(q: string): SQL | undefined {
  const text = q.trim()
  if (!text) return undefined
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
  const byText = or(sql`lower(${orders.email}) like ${pattern}`, sql`lower(${orders.customerName}) like ${pattern}`)
  const digits = /^#?(\d{1,9})$/.exec(text)?.[1]
  return digits ? or(eq(orders.number, Number(digits)), byText) : byText
}

function conditions(tenantId: string, f: OrderFilters): SQL | undefined {
  return and(
    eq(orders.tenantId, tenantId),
    f.status ? eq(orders.status, f.status) : undefined,
    f.paymentStatus ? eq(orders.paymentStatus, f.paymentStatus) : undefined,
    f.fulfillmentStatus ? eq(orders.fulfillmentStatus, f.fulfillmentStatus) : undefined,
    f.customerId ? eq(orders.customerId, f.customerId) : undefined,
    f.createdFrom ? gte(orders.createdAt, new Date(f.createdFrom)) : undefined,
    f.createdTo ? lt(orders.createdAt, new Date(f.createdTo)) : undefined,
    f.q ? searchCondition(f.q) : undefined,
  )
}

async function page(db: Database, tenantId: string, filters: OrderFilters, limit: number, cursor: string | undefined) {
  return db
    .select({ order: orders, createdAtText: timestampText(orders.createdAt) })
    .from(orders)
    .where(and(conditions(tenantId, filters), olderThan(orders.createdAt, orders.id, cursor)))
    .orderBy(...newestFirst(orders.createdAt, orders.id))
    .limit(limit + 1)
}

/** One page of the tenant's orders, newest first; a tampered cursor is a 400 `invalid_cursor`. */
export async function listOrders(db: Database, tenantId: string, filters: OrderFilters, limit: number, cursor: string | undefined) {
  const rows = await page(db, tenantId, filters, limit, cursor)
  return toPage(rows, limit, (r) => orderSummaryJson(r.order), (r) => [r.createdAtText, r.order.id])
}

function cells(o: OrderRow): string[] {
  const values = [o.number, o.id, o.createdAt.toISOString(), o.status, o.paymentStatus, o.fulfillmentStatus, o.channel, o.email ?? '', o.customerName ?? '', o.currency, o.subtotal, o.shipping, o.tax, o.total, o.paidAmount, o.refundedAmount]
  return values.map(String)
}

/** The filtered orders as a CSV byte stream; it owns `client` and closes it when the stream ends, fails or is cancelled. */
export function exportOrders(client: DatabaseClient, tenantId: string, filters: OrderFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: string | undefined
  let started = false
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await client.close()
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true
          controller.enqueue(encoder.encode(csvLine([...EXPORT_COLUMNS])))
          return
        }
        const rows = await page(client.db, tenantId, filters, EXPORT_PAGE_SIZE, cursor)
        const result = toPage(rows, EXPORT_PAGE_SIZE, (r) => r.order, (r) => [r.createdAtText, r.order.id])
        if (result.data.length > 0) controller.enqueue(encoder.encode(result.data.map((o) => csvLine(cells(o))).join('')))
        if (result.nextCursor === null) {
          controller.close()
          await close()
          return
        }
        cursor = result.nextCursor
      } catch (error) {
        controller.error(error)
        await close()
      }
    },
    async cancel() {
      await close()
    },
  })
}
