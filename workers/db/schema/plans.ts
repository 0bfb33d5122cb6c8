// Plans are data: limits and prices live in this table (seeded by a migration), never in code.
import { integer, pgTable, text } from 'drizzle-orm/pg-core'

export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  priceCents: integer('price_cents').notNull(),
  currency: text('currency').notNull().default('usd'),
  /** Token-bucket size and refill per minute for each API key of a tenant on this plan. */
  requestsPerMinute: integer('requests_per_minute').notNull(),
  /** Requests per UTC day for each API key of a tenant on this plan; null means no daily cap. */
  requestsPerDay: integer('requests_per_day'),
  /** Monthly quotas per tenant; null means unlimited. */
  monthlySearches: integer('monthly_searches'),
  monthlyEmbeddings: integer('monthly_embeddings'),
  monthlyChatMessages: integer('monthly_chat_messages'),
  /** Stripe price ids of the plan in the platform's account, monthly and (where sold) yearly; null: not sold through Stripe. */
  stripePriceId: text('stripe_price_id'),
  stripeYearlyPriceId: text('stripe_yearly_price_id'),
  /** The platform's share of each order paid through a shop's connected account, in basis points (100 = 1%). */
  applicationFeeBasisPoints: integer('application_fee_basis_points').notNull().default(0),
  position: integer('position').notNull().default(0),
})
