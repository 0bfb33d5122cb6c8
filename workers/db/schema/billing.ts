// Stripe state of a tenant: its platform customer and subscription (plan billing) and its connected account (shop
// payments), plus the processed-events table that makes every Stripe webhook event count once.
import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

export const tenantBilling = pgTable(
  'tenant_billing',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The tenant's customer in the platform's Stripe account, created once and reused. */
    stripeCustomerId: text('stripe_customer_id'),
    subscriptionId: text('subscription_id'),
    subscriptionStatus: text('subscription_status'),
    /** The paid plan the subscription is for (from its price), and its interval. */
    subscriptionPlan: text('subscription_plan'),
    subscriptionInterval: text('subscription_interval'),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** When the tenant drops to starter limits: a past-due subscription's grace end, or a cancelled one's paid period end. */
    downgradeAt: timestamp('downgrade_at', { withTimezone: true }),
    /** Stripe `created` (epoch seconds) of the newest event applied to the subscription: older events are re-read. */
    subscriptionEventAt: bigint('subscription_event_at', { mode: 'number' }),
    /** The shop's connected account (Stripe Connect) and what Stripe last said about it. */
    connectAccountId: text('connect_account_id'),
    chargesEnabled: boolean('charges_enabled').notNull().default(false),
    payoutsEnabled: boolean('payouts_enabled').notNull().default(false),
    requirementsDue: jsonb('requirements_due').$type<string[]>().notNull().default([]),
    accountEventAt: bigint('account_event_at', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tenant_billing_customer_key').on(t.stripeCustomerId), uniqueIndex('tenant_billing_account_key').on(t.connectAccountId)],
)

/** Which webhook endpoint an event came through. */
export const STRIPE_ENDPOINTS = ['platform', 'connect'] as const

export const stripeEvents = pgTable(
  'stripe_events',
  {
    /** Stripe's event id (`evt_…`): a second delivery of it finds this row and changes nothing. */
    id: text('id').primaryKey(),
    endpoint: text('endpoint', { enum: STRIPE_ENDPOINTS }).notNull(),
    type: text('type').notNull(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stripe_events_processed_idx').on(t.processedAt)],
)
