// The AI gateway's tables: each tenant's ordered AI providers (credentials encrypted) and every call it made.
import { doublePrecision, boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { tenants } from './tenants'

/** Protocols the gateway speaks to a provider. */
export const AI_PROVIDER_KINDS = ['openai-compatible', 'huggingface', 'workers-ai'] as const
export type AiProviderKind = (typeof AI_PROVIDER_KINDS)[number]

/** How one call to one provider ended. */
export const AI_CALL_OUTCOMES = ['ok', 'failed', 'cut', 'rejected', 'cancelled'] as const
export type AiCallOutcome = (typeof AI_CALL_OUTCOMES)[number]

export const aiProviders = pgTable(
  'ai_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** Fallback order within the tenant, lowest first; a new provider goes last. */
    position: integer('position').notNull(),
    kind: text('kind', { enum: AI_PROVIDER_KINDS }).notNull(),
    name: text('name').notNull(),
    baseUrl: text('base_url'),
    /** For `huggingface`: the inference provider (e.g. "together") when no baseUrl (dedicated endpoint) is given. */
    hfProvider: text('hf_provider'),
    model: text('model').notNull(),
    /** AES-GCM ciphertext of the API key (`v1.<iv>.<ciphertext>`, base64url); never returned. */
    apiKeyCiphertext: text('api_key_ciphertext'),
    apiKeyLast4: text('api_key_last4'),
    enabled: boolean('enabled').notNull().default(true),
    inputPricePerMTok: doublePrecision('input_price_per_mtok').notNull().default(0),
    outputPricePerMTok: doublePrecision('output_price_per_mtok').notNull().default(0),
    firstTokenTimeoutMs: integer('first_token_timeout_ms').notNull().default(10_000),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ai_providers_tenant_idx').on(t.tenantId, t.position)],
)

export const aiUsage = pgTable(
  'ai_usage',
  {
    /** Chosen by the ProviderHealth object that batches the rows, so a retried flush inserts nothing twice. */
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The tenant's provider id, or `platform:<name>` for a platform default; no foreign key, history outlives providers. */
    providerId: text('provider_id').notNull(),
    providerName: text('provider_name').notNull(),
    model: text('model').notNull(),
    outcome: text('outcome', { enum: AI_CALL_OUTCOMES }).notNull(),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    latencyMs: integer('latency_ms').notNull(),
    ttftMs: integer('ttft_ms'),
    /** 0 for the first provider tried, 1 for the first fallback, … */
    fallbackDepth: integer('fallback_depth').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('ai_usage_tenant_idx').on(t.tenantId, t.createdAt)],
)
