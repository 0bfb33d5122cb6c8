// Domain events: every change to orders, customers and carts appends one row to `events` in the same transaction
// as the change, so outbound webhooks can deliver them later without ever missing one.
import type { Database } from '../db/client'
import { DOMAIN_EVENT_TYPES, events } from '../db/schema/events'

export { DOMAIN_EVENT_TYPES }

/** The one shared union of domain event types. */
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number]

/** One domain event: its type, what it is about, and a JSON payload. */
export interface DomainEvent {
  tenantId: string
  type: DomainEventType
  subjectType: string
  subjectId: string
  data: Record<string, unknown>
}

/** Appends a domain event; pass the transaction of the change (`db` may be a drizzle transaction) so both commit together. */
export async function recordEvent(db: Database, e: DomainEvent): Promise<void> {
  await db.insert(events).values({ tenantId: e.tenantId, type: e.type, subjectType: e.subjectType, subjectId: e.subjectId, data: e.data })
}
