// Customers as the rest of commerce uses them: find-or-create by email (safe under concurrent checkouts), the
// customer view with its addresses, and the order statistics that payments and refunds keep current.
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { customerAddresses, customers } from '../db/schema/customers'
import { recordEvent } from './events'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True when `id` can be compared with a uuid column (anything else would make Postgres raise). */
export function isUuid(id: string): boolean {
  return UUID.test(id)
}

type CustomerRow = typeof customers.$inferSelect
type AddressRow = typeof customerAddresses.$inferSelect

/** An address of a customer's address book as the API answers it. */
export function addressJson(a: AddressRow) {
  return {
    id: a.id,
    kind: a.kind,
    isDefault: a.isDefault,
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  }
}

/** A customer as the API answers it; `addresses` only in the single-customer view. */
export function customerJson(c: CustomerRow) {
  return {
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    company: c.company,
    taxId: c.taxId,
    type: c.type,
    tags: c.tags,
    notes: c.notes,
    marketingConsent: c.marketingConsent,
    consentAt: c.consentAt?.toISOString() ?? null,
    ordersCount: c.ordersCount,
    totalSpent: c.totalSpent,
    lastOrderAt: c.lastOrderAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

/** The full view of one customer. */
export type CustomerView = ReturnType<typeof customerJson> & { addresses: ReturnType<typeof addressJson>[] }

/** The tenant's customer `id` with its addresses; undefined when unknown, another tenant's, or deleted (anonymised). */
export async function getCustomer(db: Database, tenantId: string, id: string): Promise<CustomerView | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), isNull(customers.deletedAt)))
  if (!row) return undefined
  const addresses = await db
    .select()
    .from(customerAddresses)
    .where(and(eq(customerAddresses.customerId, id), eq(customerAddresses.tenantId, tenantId)))
    .orderBy(asc(customerAddresses.createdAt), asc(customerAddresses.id))
  return { ...customerJson(row), addresses: addresses.map(addressJson) }
}

/** Who checks out or is created by email. */
export interface CustomerContact {
  email: string
  firstName?: string | null
  lastName?: string | null
  phone?: string | null
}

/**
 * The tenant's customer with `email` (compared case-insensitively), created when there is none. Two concurrent calls
 * make one customer: the insert is `ON CONFLICT DO NOTHING` on the (tenant, lower(email)) unique index and the loser
 * reads the winner's row. A creation records `customer.created` in the same transaction (a savepoint when `db` is one).
 */
export async function findOrCreateCustomerByEmail(db: Database, tenantId: string, contact: CustomerContact): Promise<{ id: string; email: string; created: boolean }> {
  const email = contact.email.trim()
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(customers)
      .values({ tenantId, email, firstName: contact.firstName ?? null, lastName: contact.lastName ?? null, phone: contact.phone ?? null })
      .onConflictDoNothing()
      .returning({ id: customers.id, email: customers.email })
    if (inserted) {
      await recordEvent(tx, { tenantId, type: 'customer.created', subjectType: 'customer', subjectId: inserted.id, data: { id: inserted.id, email: inserted.email } })
      return { ...inserted, created: true }
    }
    const [existing] = await tx
      .select({ id: customers.id, email: customers.email })
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), sql`lower(${customers.email}) = lower(${email})`))
    if (!existing) throw new Error('customer insert conflicted but no customer has this email')
    return { ...existing, created: false }
  })
}

/** Changes to a customer's order statistics, from a payment (+1 order, +amount) or a refund (−amount). */
export interface OrderStatsDelta {
  ordersDelta: number
  spentDelta: number
  /** The order's time; last_order_at only ever moves forward. */
  orderAt?: Date
}

/** Applies `delta` atomically (increments in SQL, `greatest` for the last order time), so concurrent payments never lose one. */
export async function applyCustomerOrderStats(db: Database, tenantId: string, customerId: string, delta: OrderStatsDelta): Promise<void> {
  if (!Number.isSafeInteger(delta.ordersDelta) || !Number.isSafeInteger(delta.spentDelta)) throw new Error('order stats deltas must be integers')
  const updated = await db
    .update(customers)
    .set({
      ordersCount: sql`${customers.ordersCount} + ${delta.ordersDelta}`,
      totalSpent: sql`${customers.totalSpent} + ${delta.spentDelta}`,
      ...(delta.orderAt ? { lastOrderAt: sql`greatest(${customers.lastOrderAt}, ${delta.orderAt.toISOString()}::timestamptz)` } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(customers.id, customerId), eq(customers.tenantId, tenantId)))
    .returning({ id: customers.id })
  if (updated.length === 0) throw new Error(`no customer ${customerId} in tenant ${tenantId}`)
}
