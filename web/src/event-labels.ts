// The label of each event (and notification) type in the message catalogue; unknown types show their code.
import type { Schemas } from './api/schema'
import { t, type MessageKey } from './i18n'

/** One label per type the API names: a type added there without a label here fails the type check. */
const EVENT_LABELS: Record<Schemas['NotificationPreference']['type'], MessageKey> = {
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
  'order.disputed': 'event.order.disputed',
  'order.checkout_expired': 'event.order.checkout_expired',
  'subscription.cancelled': 'event.subscription.cancelled',
  'subscription.trial_will_end': 'event.subscription.trial_will_end',
  'invoice.paid': 'event.invoice.paid',
  'payments_account.updated': 'event.payments_account.updated',
  'subscription.updated': 'event.subscription.updated',
  'payment.failed': 'event.payment.failed',
  'chat.handoff_requested': 'event.chat.handoff_requested',
  'webhook.endpoint_disabled': 'event.webhook.endpoint_disabled',
}

/** The translated name of an event type, or the type itself when the catalogue has none. */
export function eventLabel(type: string): string {
  const key = type in EVENT_LABELS ? EVENT_LABELS[type as keyof typeof EVENT_LABELS] : undefined
  return key ? t(key) : type
}
