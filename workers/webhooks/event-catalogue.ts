// The catalogue of domain event types and the shape of each one's `data`, as the OpenAPI description documents it for
// webhook subscribers (and the notification templates name them); one entry per `DomainEventType`.
import type { DomainEventType } from '../commerce/events'

/** What each event's `data` holds; shapes marked v1 carry `version: 1` and only ever gain fields within a version. */
export const EVENT_DATA_SHAPES: Record<DomainEventType, string> = {
  'product.created': 'v1 `{version, id, name, slug, status, source: "api"|"import"}`',
  'product.updated': 'v1 `{version, id, name, status?, fields}` (`fields` names what changed; `variants` for a variant change)',
  'product.deleted': 'v1 `{version, id, name}`',
  'image.indexed': 'v1 `{version, imageId, productId, reused}` (reused: the vector of identical bytes was reused)',
  'image.failed': 'v1 `{version, imageId, productId, reason}`',
  'import.completed': 'v1 `{version, importId, processed, created, updated, unchanged, failed}`',
  'stock.low': 'v1 `{version, sku, location, onHand, reserved, available, threshold, alertId, occurredAt}`',
  'stock.out': 'v1 `{version, sku, location, onHand, reserved, available, occurredAt}` (available fell to 0 or below)',
  'stock.restocked': 'v1 `{version, sku, location, onHand, reserved, available, occurredAt}` (available back above 0)',
  'reservation.expired': 'v1 `{version, reservationId, lines: [{sku, location, quantity}], occurredAt}`',
  'order.created': '`{number, total, currency}`',
  'order.paid': '`{number, amount, currency?}`',
  'order.fulfilled': '`{number, fulfillmentId, fulfillmentStatus, lines, carrier, trackingNumber, trackingUrl}`',
  'order.cancelled': '`{number, reason}`',
  'order.refunded': '`{number, amount, refunded, restock}`',
  'customer.created': '`{id, email}`',
  'cart.expired': '`{customerId, email}`',
  'order.disputed': '`{disputeId, amount, reason, status}` (a Stripe dispute opened on the order\'s payment)',
  'order.checkout_expired': '`{sessionId}` (the order\'s Stripe Checkout Session expired unpaid)',
  'subscription.updated': '`{status, plan, previousPlan, cancelAtPeriodEnd, downgradeAt}`',
  'subscription.cancelled': '`{status, plan, previousPlan, cancelAtPeriodEnd, downgradeAt}`',
  'subscription.trial_will_end': '`{trialEnd}`',
  'invoice.paid': '`{amountDue, amountPaid, currency, attemptCount, subscriptionId}`',
  'payment.failed': 'a plan invoice: `{amountDue, amountPaid, currency, attemptCount, subscriptionId}`; an order payment returned: `{reason, amount, returned}`',
  'payments_account.updated': '`{chargesEnabled, payoutsEnabled, requirementsDue}` (the shop\'s connected Stripe account)',
  'chat.handoff_requested': 'v1 `{version, conversationId, customerId, cartId, reason, requestedAt}` (a shopper or the assistant asked for a person; written by the conversation\'s room with its next flush)',
}

/** The catalogue as Markdown, appended to the OpenAPI description. */
export function eventCatalogueMarkdown(): string {
  const rows = Object.entries(EVENT_DATA_SHAPES).map(([type, shape]) => `| \`${type}\` | ${shape} |`)
  return [
    '## Domain events',
    'Webhook bodies are `{type, timestamp, data}` (Standard Webhooks; `webhook-id` is the event id). Stock events are written in the Inventory object with the change and reach Postgres through its outbox, so `occurredAt` (the change) may precede `timestamp`.',
    '',
    '| type | data |',
    '|---|---|',
    ...rows,
  ].join('\n')
}
