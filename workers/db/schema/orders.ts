// Orders and the money around them: lines with snapshots, payments, refunds, fulfillments, a timeline and the per-tenant number.
import { sql } from 'drizzle-orm'
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { customers } from './customers'
import { tenants } from './tenants'

export const ORDER_STATUSES = ['open', 'cancelled', 'completed'] as const
export const PAYMENT_STATUSES = ['pending', 'partially_paid', 'paid', 'partially_refunded', 'refunded'] as const
export const FULFILLMENT_STATUSES = ['unfulfilled', 'partial', 'fulfilled'] as const
/** Where the order's stock stands: held by reservations, committed as a sale, or released back. */
export const STOCK_STATES = ['held', 'committed', 'released'] as const
export const PAYMENT_METHODS = ['cash', 'card_present', 'bank_transfer', 'other', 'stripe'] as const
/** Methods staff record by hand; `stripe` payments come only from Stripe's webhooks. */
export const MANUAL_PAYMENT_METHODS = ['cash', 'card_present', 'bank_transfer', 'other'] as const
export const ORDER_CHANNELS = ['online', 'pos'] as const

export type OrderStatus = (typeof ORDER_STATUSES)[number]
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number]
export type StockState = (typeof STOCK_STATES)[number]
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

/** A postal address as an order keeps it. */
export interface AddressSnapshot {
  name: string
  line1: string
  line2: string | null
  city: string
  region: string | null
  postalCode: string
  country: string
  phone: string | null
}

/** The shipping method as it was when the order was placed. */
export interface ShippingSnapshot {
  id: string
  name: string
  price: number
}

/** Units of order lines, as refunds and fulfillments name them. */
export type LineQuantities = { lineId: string; quantity: number }[]

const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
const actor = { actorType: text('actor_type').notNull(), actorId: text('actor_id').notNull() }

/** The last order number each tenant handed out; the next order takes `last_number + 1`. */
export const orderNumbers = pgTable('order_numbers', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  lastNumber: integer('last_number').notNull(),
})

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    tenantId: tenantId(),
    number: integer('number').notNull(),
    channel: text('channel', { enum: ORDER_CHANNELS }).notNull(),
    /** The Idempotency-Key of the checkout or sale that created it: a retry finds the same order. */
    idempotencyKey: text('idempotency_key').notNull(),
    cartId: uuid('cart_id'),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    email: text('email'),
    customerName: text('customer_name'),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('open'),
    paymentStatus: text('payment_status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    fulfillmentStatus: text('fulfillment_status', { enum: FULFILLMENT_STATUSES }).notNull().default('unfulfilled'),
    stockState: text('stock_state', { enum: STOCK_STATES }).notNull().default('held'),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    shipping: integer('shipping').notNull(),
    tax: integer('tax').notNull(),
    taxIncluded: boolean('tax_included').notNull(),
    total: integer('total').notNull(),
    paidAmount: integer('paid_amount').notNull().default(0),
    refundedAmount: integer('refunded_amount').notNull().default(0),
    shippingMethod: jsonb('shipping_method').$type<ShippingSnapshot | null>(),
    shippingAddress: jsonb('shipping_address').$type<AddressSnapshot | null>(),
    billingAddress: jsonb('billing_address').$type<AddressSnapshot | null>(),
    notes: text('notes'),
    /** Until when the reservations wait for payment; null once paid or cancelled. */
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** When a customer disputed a card payment of the order (Stripe `charge.dispute.created`); null: no dispute. */
    disputedAt: timestamp('disputed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_tenant_number_key').on(t.tenantId, t.number),
    uniqueIndex('orders_tenant_idempotency_key').on(t.tenantId, t.idempotencyKey),
    index('orders_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index('orders_tenant_customer_idx').on(t.tenantId, t.customerId, t.createdAt.desc()),
    index('orders_tenant_email_idx').on(t.tenantId, sql`lower(${t.email})`),
  ],
)

export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey(),
    tenantId: tenantId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    sku: text('sku').notNull(),
    productId: uuid('product_id'),
    variantId: uuid('variant_id'),
    productName: text('product_name').notNull(),
    variantName: text('variant_name'),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    unitPrice: integer('unit_price').notNull(),
    quantity: integer('quantity').notNull(),
    lineTotal: integer('line_total').notNull(),
    location: text('location').notNull(),
    shard: integer('shard').notNull(),
    reservationId: text('reservation_id'),
    fulfilledQuantity: integer('fulfilled_quantity').notNull().default(0),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
  },
  (t) => [index('order_lines_order_idx').on(t.orderId, t.position)],
)

export const orderPayments = pgTable(
  'order_payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    amount: integer('amount').notNull(),
    reference: text('reference'),
    ...actor,
    createdAt: createdAt(),
  },
  (t) => [index('order_payments_order_idx').on(t.orderId, t.createdAt)],
)

export const orderRefunds = pgTable(
  'order_refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    amount: integer('amount').notNull(),
    lines: jsonb('lines').$type<LineQuantities>().notNull().default([]),
    restock: boolean('restock').notNull(),
    /** When the refunded units went back into stock (restock only); null while that is still to do. */
    restockedAt: timestamp('restocked_at', { withTimezone: true }),
    /** The Stripe refund (`re_…`) behind it, so the admin path and `charge.refunded` record it once. */
    stripeRefundId: text('stripe_refund_id'),
    ...actor,
    createdAt: createdAt(),
  },
  (t) => [index('order_refunds_order_idx').on(t.orderId, t.createdAt), uniqueIndex('order_refunds_stripe_key').on(t.stripeRefundId)],
)

export const orderFulfillments = pgTable(
  'order_fulfillments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: tenantId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    lines: jsonb('lines').$type<LineQuantities>().notNull(),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    trackingUrl: text('tracking_url'),
    ...actor,
    createdAt: createdAt(),
  },
  (t) => [index('order_fulfillments_order_idx').on(t.orderId, t.createdAt)],
)

export const orderTimeline = pgTable(
  'order_timeline',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: tenantId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    ...actor,
    createdAt: createdAt(),
  },
  (t) => [index('order_timeline_order_idx').on(t.orderId, t.id)],
)
