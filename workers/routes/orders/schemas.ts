// The wire shapes of checkout and orders: requests validated by zod, answers documented in OpenAPI.
import { z } from '@hono/zod-openapi'
import { MAX_QUANTITY, MAX_TEXT_LENGTH } from '../../../durable-objects/inventory/limits'
import { AddressSchema } from '../../commerce/address'
import type { Caller } from '../../auth/context'
import type { OrderActor } from '../../commerce/orders/draft'
import { FULFILLMENT_STATUSES, MANUAL_PAYMENT_METHODS, ORDER_CHANNELS, ORDER_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES, STOCK_STATES } from '../../db/schema/orders'
import { PageQuerySchema } from '../../lib/pagination'

/** Largest amount of money one call may move (minor units; fits Postgres integer). */
export const MAX_AMOUNT = 1_000_000_000

const Amount = z.int().min(1).max(MAX_AMOUNT).openapi({ description: 'Integer minor units, at least 1' })
const Quantity = z.int().min(1).max(MAX_QUANTITY)
const Text = (max: number) => z.string().trim().min(1).max(max)

/** The actor recorded on the timeline for a caller. */
export function orderActor(caller: Caller): OrderActor {
  return caller.kind === 'user' ? { type: 'user', id: caller.userId } : { type: 'api_key', id: caller.keyId }
}

export const OrderIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })

export const CheckoutSchema = z
  .object({
    email: z.email().max(254).optional(),
    customerId: z.uuid().optional().openapi({ description: 'Server keys and members only; a storefront gives the email' }),
    shippingAddress: AddressSchema,
    billingAddress: AddressSchema.optional(),
    shippingMethodId: z.uuid().optional().openapi({ description: 'Omit for pickup: nothing is charged for shipping' }),
    notes: z.string().max(2000).optional(),
    acceptPriceChanges: z.boolean().optional().openapi({ description: 'Check out at the current prices when they changed since the items were added' }),
  })
  .openapi('Checkout')

const LineQuantitiesSchema = z.array(z.object({ lineId: z.uuid(), quantity: Quantity })).max(500)

export const PaymentSchema = z
  .object({ method: z.enum(MANUAL_PAYMENT_METHODS), amount: Amount, reference: z.string().trim().max(200).optional() })
  .openapi('RecordPayment')
export const CancelSchema = z.object({ reason: z.string().trim().max(500).optional() }).openapi('CancelOrder')
export const RefundSchema = z
  .object({ amount: Amount, lines: LineQuantitiesSchema.optional(), restock: z.boolean() })
  .openapi('RecordRefund', { description: '`restock` returns the units of `lines` to stock (ledger reason `return`)' })
export const FulfillmentSchema = z
  .object({
    lines: LineQuantitiesSchema.min(1),
    carrier: z.string().trim().max(100).optional(),
    trackingNumber: z.string().trim().max(100).optional(),
    trackingUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  })
  .openapi('RecordFulfillment')
export const SaleSchema = z
  .object({
    lines: z.array(z.object({ sku: Text(MAX_TEXT_LENGTH), quantity: Quantity, location: Text(MAX_TEXT_LENGTH).optional() })).min(1).max(100),
    customerId: z.uuid().optional(),
    notes: z.string().max(2000).optional(),
    payment: z.object({ method: z.enum(MANUAL_PAYMENT_METHODS), amount: Amount.optional().openapi({ description: 'Defaults to the total; a sale is paid in full' }), reference: z.string().trim().max(200).optional() }),
  })
  .openapi('PointOfSale')

const Instant = z.iso.datetime({ offset: true })

export const OrderFiltersSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES).optional(),
  fulfillmentStatus: z.enum(FULFILLMENT_STATUSES).optional(),
  customerId: z.uuid().optional(),
  createdFrom: Instant.optional().openapi({ description: 'ISO 8601, inclusive' }),
  createdTo: Instant.optional().openapi({ description: 'ISO 8601, exclusive' }),
  q: z.string().trim().max(200).optional().openapi({ description: 'Order number (`1001` or `#1001`), or part of the email or name' }),
})
export const ListQuerySchema = PageQuerySchema.extend(OrderFiltersSchema.shape)

const ActorSchema = z.object({ type: z.string(), id: z.string() })
const TotalsSchema = z.object({ subtotal: z.int(), shipping: z.int(), tax: z.int(), taxIncluded: z.boolean(), total: z.int() })
const AddressOut = z.object({ name: z.string(), line1: z.string(), line2: z.string().nullable(), city: z.string(), region: z.string().nullable(), postalCode: z.string(), country: z.string(), phone: z.string().nullable() })

export const OrderSummarySchema = z
  .object({
    id: z.uuid(),
    number: z.int(),
    channel: z.enum(ORDER_CHANNELS),
    status: z.enum(ORDER_STATUSES),
    paymentStatus: z.enum(PAYMENT_STATUSES),
    fulfillmentStatus: z.enum(FULFILLMENT_STATUSES),
    stockState: z.enum(STOCK_STATES).openapi({ description: 'held by reservations, committed (sold) or released' }),
    customerId: z.uuid().nullable(),
    email: z.string().nullable(),
    customerName: z.string().nullable(),
    currency: z.string(),
    totals: TotalsSchema,
    paidAmount: z.int(),
    refundedAmount: z.int(),
    holdExpiresAt: z.string().nullable(),
    paidAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    disputedAt: z.string().nullable().openapi({ description: 'When a customer disputed a card payment of the order (Stripe)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('OrderSummary')

const LineQuantitiesOut = z.array(z.object({ lineId: z.string(), quantity: z.int() }))

export const OrderSchema = OrderSummarySchema.extend({
  cartId: z.uuid().nullable(),
  shippingMethod: z.object({ id: z.string(), name: z.string(), price: z.int() }).nullable(),
  shippingAddress: AddressOut.nullable(),
  billingAddress: AddressOut.nullable(),
  notes: z.string().nullable(),
  lines: z.array(
    z.object({
      id: z.uuid(),
      sku: z.string(),
      productId: z.uuid().nullable(),
      variantId: z.uuid().nullable(),
      productName: z.string(),
      variantName: z.string().nullable(),
      options: z.record(z.string(), z.string()),
      unitPrice: z.int(),
      quantity: z.int(),
      lineTotal: z.int(),
      location: z.string(),
      fulfilledQuantity: z.int(),
      refundedQuantity: z.int(),
    }),
  ),
  payments: z.array(z.object({ id: z.uuid(), method: z.enum(PAYMENT_METHODS), amount: z.int(), reference: z.string().nullable(), actor: ActorSchema, createdAt: z.string() })),
  refunds: z.array(z.object({ id: z.uuid(), amount: z.int(), lines: LineQuantitiesOut, restock: z.boolean(), restockedAt: z.string().nullable(), actor: ActorSchema, createdAt: z.string() })),
  fulfillments: z.array(
    z.object({ id: z.uuid(), lines: LineQuantitiesOut, carrier: z.string().nullable(), trackingNumber: z.string().nullable(), trackingUrl: z.string().nullable(), actor: ActorSchema, createdAt: z.string() }),
  ),
  timeline: z.array(z.object({ type: z.string(), data: z.record(z.string(), z.unknown()), actor: ActorSchema, at: z.string() })),
}).openapi('Order')
