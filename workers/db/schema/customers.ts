// The shop's customers (email unique per tenant, anonymised on delete), their addresses, and the tenant's shipping methods.
import { sql, type SQL } from 'drizzle-orm'
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const CUSTOMER_TYPES = ['individual', 'business', 'wholesale'] as const
export type CustomerType = (typeof CUSTOMER_TYPES)[number]
export const ADDRESS_KINDS = ['billing', 'shipping'] as const
export type AddressKind = (typeof ADDRESS_KINDS)[number]

const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })
const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

/** Lower-cased names, email and company in one text, so one trigram index serves the `q` search of the list. */
function customerSearchText(): SQL {
  return sql`lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || email || ' ' || coalesce(company, ''))`
}

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    email: text('email').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    phone: text('phone'),
    company: text('company'),
    taxId: text('tax_id'),
    type: text('type', { enum: CUSTOMER_TYPES }).notNull().default('individual'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    marketingConsent: boolean('marketing_consent').notNull().default(false),
    /** When the consent was last given; null while there is none. */
    consentAt: timestamp('consent_at', { withTimezone: true }),
    /** Kept current by orders' payments and refunds (applyCustomerOrderStats), never written by the customer routes. */
    ordersCount: integer('orders_count').notNull().default(0),
    /** Minor units, summed over paid orders less refunds. */
    totalSpent: bigint('total_spent', { mode: 'number' }).notNull().default(0),
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    /** Set when the person was anonymised; the row stays for the orders that point at it. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    searchText: text('search_text').generatedAlwaysAs(customerSearchText),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('customers_tenant_email_key').on(t.tenantId, sql`lower(${t.email})`),
    index('customers_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('customers_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('customers_tags_idx').using('gin', t.tags),
  ],
)

export const customerAddresses = pgTable(
  'customer_addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ADDRESS_KINDS }).notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    name: text('name').notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code').notNull(),
    /** ISO 3166-1 alpha-2, upper case. */
    country: text('country').notNull(),
    phone: text('phone'),
    ...timestamps,
  },
  (t) => [
    index('customer_addresses_customer_idx').on(t.customerId, t.createdAt),
    uniqueIndex('customer_addresses_one_default_key').on(t.customerId, t.kind).where(sql`${t.isDefault}`),
  ],
)

export const shippingMethods = pgTable(
  'shipping_methods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    /** Flat rate in integer minor units of `currency`. */
    price: integer('price').notNull(),
    currency: text('currency').notNull(),
    /** Free when the order's subtotal is at least this (minor units); null: never free. */
    freeAbove: integer('free_above'),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [index('shipping_methods_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc())],
)
