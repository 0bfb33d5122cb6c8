// Writes to a customer's record: the address book (one default billing and one default shipping address) and the
// anonymisation that deletes the person but keeps the row their orders point at.
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { customerAddresses, customers, type AddressKind } from '../db/schema/customers'
import { events } from '../db/schema/events'
import { ApiError } from '../lib/errors'
import { normalizeAddress, type Address } from './address'

/** A new address of the book. */
export type AddressInput = Address & { kind: AddressKind; isDefault?: boolean | undefined }
/** Changes to an address; a changed `kind` moves it to the other book section. */
export type AddressPatch = Partial<AddressInput>

const noSuchCustomer = () => new ApiError('not_found', 'No customer with this id')

/**
 * Locks the tenant's live customer `id` for the rest of the transaction, so address changes of one customer run one
 * at a time and never race an anonymisation; 404 when unknown, another tenant's or deleted.
 */
export async function lockCustomer(tx: Database, tenantId: string, id: string): Promise<void> {
  const [row] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.tenantId, tenantId), isNull(customers.deletedAt)))
    .for('update')
  if (!row) throw noSuchCustomer()
}

async function countOfKind(tx: Database, customerId: string, kind: AddressKind, excludingId?: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(customerAddresses)
    .where(and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.kind, kind), excludingId ? ne(customerAddresses.id, excludingId) : undefined))
  return row?.n ?? 0
}

async function clearDefault(tx: Database, customerId: string, kind: AddressKind): Promise<void> {
  await tx
    .update(customerAddresses)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.kind, kind), eq(customerAddresses.isDefault, true)))
}

/** Makes the oldest remaining address of `kind` the default when the kind has addresses but no default. */
async function promoteDefault(tx: Database, customerId: string, kind: AddressKind): Promise<void> {
  const [hasDefault] = await tx
    .select({ id: customerAddresses.id })
    .from(customerAddresses)
    .where(and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.kind, kind), eq(customerAddresses.isDefault, true)))
  if (hasDefault) return
  const [oldest] = await tx
    .select({ id: customerAddresses.id })
    .from(customerAddresses)
    .where(and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.kind, kind)))
    .orderBy(asc(customerAddresses.createdAt), asc(customerAddresses.id))
    .limit(1)
  if (oldest) await tx.update(customerAddresses).set({ isDefault: true, updatedAt: new Date() }).where(eq(customerAddresses.id, oldest.id))
}

/**
 * Adds an address to a locked customer's book; the first of its kind, or one marked default, becomes the default.
 * `created_at` is the clock time, not the transaction's, so addresses added together keep their order. Returns its id.
 */
export async function insertAddress(tx: Database, tenantId: string, customerId: string, input: AddressInput): Promise<string> {
  const makeDefault = input.isDefault === true || (await countOfKind(tx, customerId, input.kind)) === 0
  if (makeDefault) await clearDefault(tx, customerId, input.kind)
  const [row] = await tx
    .insert(customerAddresses)
    .values({ tenantId, customerId, kind: input.kind, isDefault: makeDefault, ...normalizeAddress(input), createdAt: sql`clock_timestamp()` })
    .returning({ id: customerAddresses.id })
  if (!row) throw new Error('insert returned no row')
  return row.id
}

/**
 * Changes an address of a locked customer. Setting `isDefault` moves the default to it; unsetting it (or moving the
 * address to the other kind) hands the default to the oldest other address of the kind, so a kind with addresses always has one.
 */
export async function updateAddress(tx: Database, tenantId: string, customerId: string, addressId: string, patch: AddressPatch): Promise<void> {
  const [current] = await tx
    .select()
    .from(customerAddresses)
    .where(and(eq(customerAddresses.id, addressId), eq(customerAddresses.customerId, customerId), eq(customerAddresses.tenantId, tenantId)))
  if (!current) throw new ApiError('not_found', 'No address with this id')
  const kind = patch.kind ?? current.kind
  const wantsDefault = patch.isDefault
  const merged = normalizeAddress({ ...current, ...patch })
  const makeDefault = wantsDefault === true || (wantsDefault === undefined && current.isDefault && kind === current.kind) || (await countOfKind(tx, customerId, kind, addressId)) === 0
  if (makeDefault) await clearDefault(tx, customerId, kind)
  await tx
    .update(customerAddresses)
    .set({ ...merged, kind, isDefault: makeDefault, updatedAt: new Date() })
    .where(eq(customerAddresses.id, addressId))
  await promoteDefault(tx, customerId, current.kind)
  await promoteDefault(tx, customerId, kind)
}

/** Removes an address of a locked customer; the default passes to the oldest remaining address of the kind. */
export async function deleteAddress(tx: Database, tenantId: string, customerId: string, addressId: string): Promise<void> {
  const [deleted] = await tx
    .delete(customerAddresses)
    .where(and(eq(customerAddresses.id, addressId), eq(customerAddresses.customerId, customerId), eq(customerAddresses.tenantId, tenantId)))
    .returning({ kind: customerAddresses.kind })
  if (!deleted) throw new ApiError('not_found', 'No address with this id')
  await promoteDefault(tx, customerId, deleted.kind)
}

/** Personal keys removed from the payloads of a deleted customer's events (webhooks not yet delivered get no personal data). */
const PERSONAL_EVENT_KEYS = ['email', 'firstName', 'lastName', 'phone', 'company', 'taxId']

/**
 * Deletes the person behind a locked customer: email becomes `deleted-<id>@invalid`, names, phone, company, tax id,
 * notes, tags, consent and addresses are cleared, `deletedAt` is set, and personal fields leave its events' payloads.
 * The row, its id and its order statistics stay, so the orders that point at it keep working.
 */
export async function anonymiseCustomer(tx: Database, tenantId: string, customerId: string): Promise<void> {
  await tx.delete(customerAddresses).where(and(eq(customerAddresses.customerId, customerId), eq(customerAddresses.tenantId, tenantId)))
  const now = new Date()
  await tx
    .update(customers)
    .set({
      email: `deleted-${customerId}@invalid`,
      firstName: null,
      lastName: null,
      phone: null,
      company: null,
      taxId: null,
      notes: null,
      tags: [],
      marketingConsent: false,
      consentAt: null,
      deletedAt: now,
      updatedAt: now,
    })
    .where(and(eq(customers.id, customerId), eq(customers.tenantId, tenantId)))
  await tx
    .update(events)
    .set({ data: sql`${events.data} - ${`{${PERSONAL_EVENT_KEYS.join(',')}}`}::text[]` })
    .where(and(eq(events.tenantId, tenantId), eq(events.subjectType, 'customer'), eq(events.subjectId, customerId)))
}
