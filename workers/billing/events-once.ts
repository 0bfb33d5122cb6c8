// Each Stripe event id is processed once: its row in `stripe_events` is written in the transaction of the change it
// caused, so a second delivery (Stripe retries, or sends twice) finds it and changes nothing.
import { eq } from 'drizzle-orm'
import type Stripe from 'stripe'
import type { Database } from '../db/client'
import { stripeEvents, type STRIPE_ENDPOINTS } from '../db/schema/billing'

export type StripeEndpoint = (typeof STRIPE_ENDPOINTS)[number]

/** What became of an event: applied, seen before, or not for us (unknown type, unknown tenant or order). */
export type EventOutcome = 'processed' | 'duplicate' | 'ignored'

class Duplicate extends Error {}

/** Whether the event was processed already. */
export async function alreadyProcessed(db: Database, eventId: string): Promise<boolean> {
  const [row] = await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, eventId))
  return row !== undefined
}

/** Runs `change` and marks the event processed in one transaction; answers 'duplicate' (and rolls back) when another delivery won. */
export async function processOnce(db: Database, endpoint: StripeEndpoint, event: Stripe.Event, tenantId: string | null, change: (tx: Database) => Promise<void> = async () => {}): Promise<EventOutcome> {
  try {
    await db.transaction(async (tx) => {
      const marked = await tx.insert(stripeEvents).values({ id: event.id, endpoint, type: event.type, tenantId }).onConflictDoNothing().returning({ id: stripeEvents.id })
      if (marked.length === 0) throw new Duplicate()
      await change(tx)
    })
    return 'processed'
  } catch (error) {
    if (error instanceof Duplicate) return 'duplicate'
    throw error
  }
}
