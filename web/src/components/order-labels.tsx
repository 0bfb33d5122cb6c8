// The words and badges of an order's states, payment methods and timeline entries, shared by the orders list, the
// order detail and the point of sale; and the CSV export downloaded with the session's token.
import { ApiError } from '../api/errors'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { withToken } from './upload'

type Summary = Schemas['OrderSummary']
export type OrderStatus = Summary['status']
export type PaymentStatus = Summary['paymentStatus']
export type FulfillmentStatus = Summary['fulfillmentStatus']
export type PaymentMethod = Schemas['RecordPayment']['method']

export const ORDER_STATUSES: OrderStatus[] = ['open', 'completed', 'cancelled']
export const PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'partially_paid', 'paid', 'partially_refunded', 'refunded']
export const FULFILLMENT_STATUSES: FulfillmentStatus[] = ['unfulfilled', 'partial', 'fulfilled']
export const PAYMENT_METHODS: PaymentMethod[] = ['cash', 'card_present', 'bank_transfer', 'other']

export const STATUS_LABELS: Record<OrderStatus, MessageKey> = { open: 'orders.status.open', completed: 'orders.status.completed', cancelled: 'orders.status.cancelled' }
export const PAYMENT_LABELS: Record<PaymentStatus, MessageKey> = {
  pending: 'orders.payment.pending',
  partially_paid: 'orders.payment.partially_paid',
  paid: 'orders.payment.paid',
  partially_refunded: 'orders.payment.partially_refunded',
  refunded: 'orders.payment.refunded',
}
export const FULFILLMENT_LABELS: Record<FulfillmentStatus, MessageKey> = {
  unfulfilled: 'orders.fulfillment.unfulfilled',
  partial: 'orders.fulfillment.partial',
  fulfilled: 'orders.fulfillment.fulfilled',
}
/** Labels of every method a payment can carry: the manual ones and `stripe` (recorded from Stripe's webhooks). */
export const METHOD_LABELS: Record<PaymentMethod | 'stripe', MessageKey> = {
  stripe: 'orders.method.stripe',
  cash: 'orders.method.cash',
  card_present: 'orders.method.card_present',
  bank_transfer: 'orders.method.bank_transfer',
  other: 'orders.method.other',
}
const TIMELINE_LABELS: Record<string, MessageKey> = {
  created: 'orders.timeline.created',
  payment: 'orders.timeline.payment',
  cancelled: 'orders.timeline.cancelled',
  refund: 'orders.timeline.refund',
  fulfillment: 'orders.timeline.fulfillment',
  restocked: 'orders.timeline.restocked',
  stock_committed: 'orders.timeline.stock_committed',
  stock_released: 'orders.timeline.stock_released',
  disputed: 'orders.timeline.disputed',
  stripe_payment_returned: 'orders.timeline.stripe_payment_returned',
}
const ACTOR_LABELS: Record<string, MessageKey> = { user: 'orders.actor.user', api_key: 'orders.actor.api_key', system: 'orders.actor.system' }

/** A timeline entry's type in words (an unknown type shows as sent). */
export function timelineLabel(type: string): string {
  const key = TIMELINE_LABELS[type]
  return key ? t(key) : type
}

/** Who did it: "Team member", "API key" or "System". */
export function actorLabel(actor: { type: string }): string {
  const key = ACTOR_LABELS[actor.type]
  return key ? t(key) : actor.type
}

const TONE: Record<string, string> = {
  open: 'primary',
  completed: 'active',
  cancelled: 'archived',
  pending: 'pending',
  partially_paid: 'pending',
  paid: 'ready',
  partially_refunded: 'failed',
  refunded: 'failed',
  unfulfilled: 'pending',
  partial: 'pending',
  fulfilled: 'ready',
}

/** A coloured badge for one status value. */
export function StatusBadge(props: { value: string; label: string }) {
  return <span class={`badge badge--${TONE[props.value] ?? 'primary'}`}>{props.label}</span>
}

/** The three badges of an order: status, payment and fulfillment. */
export function OrderBadges(props: { order: Pick<Summary, 'status' | 'paymentStatus' | 'fulfillmentStatus'> }) {
  const { order } = props
  return (
    <span class="order-badges">
      <StatusBadge value={order.status} label={t(STATUS_LABELS[order.status])} />
      <StatusBadge value={order.paymentStatus} label={t(PAYMENT_LABELS[order.paymentStatus])} />
      <StatusBadge value={order.fulfillmentStatus} label={t(FULFILLMENT_LABELS[order.fulfillmentStatus])} />
    </span>
  )
}

/** "#1001". */
export function orderNumber(number: number): string {
  return t('orders.number', { number: String(number) })
}

/** Downloads the orders matching `query` as orders.csv (`GET /v1/orders/export`, streamed by the API). */
export async function downloadOrdersCsv(query: URLSearchParams): Promise<void> {
  const path = `/v1/orders/export${query.size > 0 ? `?${query.toString()}` : ''}`
  const res = await withToken(async (token) => {
    try {
      return await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    } catch {
      throw new ApiError(0, { code: 'network', message: 'The API cannot be reached; check the connection and try again' })
    }
  })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as Partial<Schemas['Error']> | null
    throw new ApiError(res.status, body?.error ?? { code: 'http_error', message: `The API answered ${res.status}` })
  }
  const url = URL.createObjectURL(await res.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = 'orders.csv'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
}
