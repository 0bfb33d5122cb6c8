// Which Postgres tables a tenant archive carries, in restore order (parents first), and why every other table with
// tenant data stays out; a test checks that every table with a tenant_id column is on one of the two lists.

/** How one exported table is read and restored. */
export interface ArchivedTable {
  /** Postgres table name. */
  name: string
  /** Stable order for paging the export. */
  orderBy: string
  /** Columns never written to an archive (secrets); the restore fills them as `restore` says. */
  secret?: readonly string[]
  /** Self-references restored after the whole table is in (a child may come before its parent). */
  deferred?: readonly string[]
  /** Rows restored only when this holds for the archived row `x` (a reference outside the tenant may be gone). */
  restoreIf?: string
}

/** Exported tables in restore order; every row is restored with the same (remapped) ids. */
export const ARCHIVED_TABLES: readonly ArchivedTable[] = [
  { name: 'categories', orderBy: 'id', deferred: ['parent_id'] },
  { name: 'attribute_definitions', orderBy: 'id' },
  { name: 'products', orderBy: 'id' },
  { name: 'variants', orderBy: 'id' },
  { name: 'product_images', orderBy: 'id' },
  { name: 'category_centroids', orderBy: 'category_id' },
  { name: 'customers', orderBy: 'id' },
  { name: 'customer_addresses', orderBy: 'id' },
  { name: 'shipping_methods', orderBy: 'id' },
  { name: 'order_numbers', orderBy: 'tenant_id' },
  { name: 'orders', orderBy: 'id' },
  { name: 'order_lines', orderBy: 'id' },
  { name: 'order_payments', orderBy: 'id' },
  { name: 'order_refunds', orderBy: 'id' },
  { name: 'order_fulfillments', orderBy: 'id' },
  { name: 'order_timeline', orderBy: 'id' },
  { name: 'chat_conversations', orderBy: 'id' },
  { name: 'chat_messages', orderBy: 'conversation_id, seq' },
  { name: 'webhook_endpoints', orderBy: 'id', secret: ['secret_sealed', 'previous_secret_sealed', 'previous_secret_expires_at'] },
  { name: 'ai_providers', orderBy: 'id', secret: ['api_key_ciphertext', 'api_key_last4'] },
  { name: 'notification_preferences', orderBy: 'user_id, type', restoreIf: 'exists (select 1 from users u where u.id = x.user_id)' },
  { name: 'events', orderBy: 'created_at, id' },
  { name: 'audit_log', orderBy: 'created_at, id' },
  { name: 'search_log', orderBy: 'created_at, id' },
]

/** Tables written outside the generic rows: the tenant itself (its settings) and its members (without passwords). */
export const SPECIAL_TABLES: Readonly<Record<string, string>> = {
  tenants: 'name and settings (assistant, notification and shipping defaults, shard count…) go to the target tenant; its id, slug and plan stay its own',
  memberships: 'members travel as email, name and role; the restore joins existing accounts by email and creates missing ones with no password (they sign in after a reset)',
  users: 'accounts are global: only the members’ email, name and locale are archived, never password hashes',
  inventory_levels: 'the read model of the Inventory objects: the levels and ledger come from the objects and the restored objects publish it again',
}

/** Tables with tenant data that an archive deliberately leaves out, and why (the README table repeats this). */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  refresh_tokens: 'sessions: a restored tenant signs in afresh',
  api_keys: 'key hashes are credentials; keys are issued again (or imported by hash) in the new tenant',
  invitations: 'pending invitation tokens are credentials',
  email_verifications: 'per-account verification tokens',
  tenant_billing: 'the target keeps its own plan and Stripe customer',
  stripe_events: 'Stripe webhook de-duplication of the source account',
  usage_daily: 'metering of the source tenant’s plan; the target starts its own',
  ai_usage: 'metered AI spend of the source tenant’s plan',
  query_embeddings: 'a cache of text embeddings, rebuilt on demand',
  cart_summaries: 'carts and their reservations live in Cart objects and expire; they are not moved',
  webhook_messages: 'the 30-day delivery log of the source endpoints',
  webhook_attempts: 'the 30-day delivery log of the source endpoints',
  notifications: 'per-person inbox and e-mail send record of the source tenant',
  catalog_imports: 'CSV upload jobs of the source tenant',
  tenant_archives: 'export and import jobs themselves',
}

/** History the target may already have of its own (sign-up writes some): restored rows are added beside it. */
export const HISTORY_TABLES: readonly string[] = ['events', 'audit_log', 'search_log']

/** Tables that must be empty for a tenant to receive an archive. */
export const MUST_BE_EMPTY: readonly string[] = ARCHIVED_TABLES.map((t) => t.name).filter(
  (name) => !HISTORY_TABLES.includes(name) && !['notification_preferences', 'order_numbers'].includes(name),
)
