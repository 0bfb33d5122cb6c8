// The label of each event (and notification) type in the message catalogue; unknown types show their code.
import { t, type MessageKey } from './i18n'

const EVENT_LABELS: Record<string, MessageKey> = {
  'product.created': 'event.product.created',
  'product.updated': 'event.product.updated',
  'product.deleted': 'event.product.deleted',
  'image.indexed': 'event.image.indexed',
  'image.failed': 'event.image.failed',
  'import.completed': 'event.import.completed',
  'stock.low': 'event.stock.low',
  'stock.out': 'event.stock.out',
  'stock.restocked': 'event.stock.restocked',
  'reservation.expired': 'event.reservation.expired',
  'order.created': 'event.order.created',
  'order.paid': 'event.order.paid',
  'order.fulfilled': 'event.order.fulfilled',
  'order.cancelled': 'event.order.cancelled',
  'order.refunded': 'event.order.refunded',
  'customer.created': 'event.customer.created',
  'cart.expired': 'event.cart.expired',
  'subscription.updated': 'event.subscription.updated',
  'payment.failed': 'event.payment.failed',
  'chat.handoff_requested': 'event.chat.handoff_requested',
  'webhook.endpoint_disabled': 'event.webhook.endpoint_disabled',
}

/** The translated name of an event type, or the type itself when the catalogue has none. */
export function eventLabel(type: string): string {
  const key = EVENT_LABELS[type]
  return key ? t(key) : type
}
