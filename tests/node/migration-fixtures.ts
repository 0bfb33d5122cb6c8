// Realistic rows for every table, keyed by table and column, that the populated-migration test inserts at the version
// where each table first appears: a table without an entry here fails that test, so new tables must bring fixtures.

/** One row: column name to value (JSON columns as JSON text, vectors in pgvector's `[x,…]` text form). */
export type FixtureRow = Record<string, string | number | boolean | null | string[]>

/** Fixed ids so rows of different tables can reference each other. */
export const IDS = {
  tenantA: '10000000-0000-4000-8000-00000000000a',
  tenantB: '10000000-0000-4000-8000-00000000000b',
  owner: '20000000-0000-4000-8000-000000000001',
  clerk: '20000000-0000-4000-8000-000000000002',
  rootCategory: '30000000-0000-4000-8000-000000000001',
  mugCategory: '30000000-0000-4000-8000-000000000002',
  mug: '40000000-0000-4000-8000-000000000001',
  tee: '40000000-0000-4000-8000-000000000002',
  mugBlue: '50000000-0000-4000-8000-000000000001',
  mugRed: '50000000-0000-4000-8000-000000000002',
  teeM: '50000000-0000-4000-8000-000000000003',
  customer: '60000000-0000-4000-8000-000000000001',
  order: '70000000-0000-4000-8000-000000000001',
  cart: '80000000-0000-4000-8000-000000000001',
  event: '90000000-0000-4000-8000-000000000001',
  endpoint: 'a0000000-0000-4000-8000-000000000001',
  message: 'a1000000-0000-4000-8000-000000000001',
  conversation: 'b0000000-0000-4000-8000-000000000001',
} as const

/** A unit-length 512-dimension vector pointing mostly along `axis`, as CLIP embeddings are stored. */
export function unitVector(axis: number): string {
  const values = Array.from({ length: 512 }, (_, index) => (index === axis ? 0.96 : index === (axis + 1) % 512 ? 0.28 : 0))
  return `[${values.join(',')}]`
}

const json = (value: unknown): string => JSON.stringify(value)
const past = (days: number): string => new Date(Date.UTC(2026, 10, 1) - days * 86_400_000).toISOString()
const future = (days: number): string => new Date(Date.UTC(2027, 0, 1) + days * 86_400_000).toISOString()
const { tenantA, tenantB, owner, clerk } = IDS

/**
 * Rows per table in dependency order (a table's references come before it). Columns a version does not have yet are
 * left out when inserting at that version; every column must exist at the last version.
 */
export const FIXTURES: Record<string, FixtureRow[]> = {
  plans: [{ id: 'clip-legacy', name: 'CLIP legacy', price_cents: 1500, currency: 'usd', requests_per_minute: 120, monthly_searches: 5000, monthly_embeddings: 2000, monthly_chat_messages: null, position: 9, requests_per_day: 50_000, stripe_price_id: null, stripe_yearly_price_id: null, application_fee_basis_points: 150 }],
  tenants: [
    { id: tenantA, name: 'Tienda Azul', slug: 'tienda-azul', plan: 'professional', settings: json({ currency: 'MXN', locale: 'es-MX' }), created_at: past(90) },
    { id: tenantB, name: 'Mugs & Co', slug: 'mugs-co', plan: 'starter', settings: json({}), created_at: past(30) },
  ],
  users: [
    { id: owner, email: 'ana@tienda-azul.mx', name: 'Ana Pérez', password_hash: 'pbkdf2$600000$c2FsdA$aGFzaA', email_verified_at: past(89), locale: 'es-MX' },
    { id: clerk, email: 'bob@mugs.co', name: 'Bob', password_hash: 'pbkdf2$600000$c2FsdDI$aGFzaDI', email_verified_at: null, locale: null },
  ],
  memberships: [
    { tenant_id: tenantA, user_id: owner, role: 'owner' },
    { tenant_id: tenantB, user_id: clerk, role: 'owner' },
    { tenant_id: tenantA, user_id: clerk, role: 'staff' },
  ],
  inventory_levels: [
    { tenant_id: tenantA, sku: 'MUG-BLUE-350', location: 'default', on_hand: 40, reserved: 2, available: 38, low_stock_threshold: 5, version: 7, updated_at: past(1) },
    { tenant_id: tenantA, sku: 'MUG-RED-350', location: 'default', on_hand: 0, reserved: 0, available: 0, low_stock_threshold: null, version: 3, updated_at: past(2) },
    { tenant_id: tenantB, sku: 'TEE-M', location: 'cdmx', on_hand: 12, reserved: 0, available: 12, low_stock_threshold: 2, version: 1, updated_at: past(3) },
  ],
  audit_log: [
    { tenant_id: tenantA, actor_type: 'user', actor_id: owner, action: 'member.invited', target_type: 'invitation', target_id: 'bob@mugs.co', details: json({ role: 'staff' }) },
    { tenant_id: tenantB, actor_type: 'api_key', actor_id: owner, action: 'stock.reduced', target_type: 'sku', target_id: 'TEE-M', details: json({ quantity: 1 }) },
  ],
  usage_daily: [
    { tenant_id: tenantA, day: '2026-10-30', resource: 'search', source: 'api', count: 120 },
    { tenant_id: tenantA, day: '2026-10-31', resource: 'embedding', source: 'indexer', count: 14 },
    { tenant_id: tenantB, day: '2026-10-31', resource: 'search', source: 'storefront', count: 3 },
  ],
  api_keys: [
    { tenant_id: tenantA, name: 'POS', prefix: 'vk_live_abcd', key_hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', scopes: ['inventory:write', 'catalog:read'], created_by: owner, expires_at: future(365), last_used_at: past(1) },
    { tenant_id: tenantB, name: 'Old key', prefix: 'vk_live_wxyz', key_hash: '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', scopes: ['catalog:read'], created_by: null, revoked_at: past(5) },
  ],
  refresh_tokens: [
    { family_id: 'c0000000-0000-4000-8000-000000000001', user_id: owner, tenant_id: tenantA, token_hash: 'rt-hash-1', expires_at: future(30), used_at: past(1) },
    { family_id: 'c0000000-0000-4000-8000-000000000001', user_id: owner, tenant_id: tenantA, token_hash: 'rt-hash-2', expires_at: future(30) },
  ],
  attribute_definitions: [
    { tenant_id: tenantA, key: 'material', label: 'Material', type: 'list', multiple: false, options: ['ceramic', 'steel'], required: true, position: 0, applies_to: 'product' },
    { tenant_id: tenantA, key: 'capacity_ml', label: 'Capacity (ml)', type: 'number', position: 1, applies_to: 'variant' },
  ],
  categories: [
    { id: IDS.rootCategory, tenant_id: tenantA, parent_id: null, name: 'Kitchen', slug: 'kitchen', description: 'Cocina', position: 0 },
    { id: IDS.mugCategory, tenant_id: tenantA, parent_id: IDS.rootCategory, name: 'Mugs', slug: 'mugs', position: 1 },
  ],
  products: [
    { id: IDS.mug, tenant_id: tenantA, name: 'Taza azul', slug: 'taza-azul', description: 'Ceramic mug, 350 ml', status: 'active', category_id: IDS.mugCategory, brand: 'Azul', tags: ['mug', 'kitchen'], seo_title: 'Taza', attributes: json({ material: 'ceramic' }) },
    { id: IDS.tee, tenant_id: tenantB, name: 'Plain tee', slug: 'plain-tee', description: null, status: 'draft', category_id: null, brand: null, tags: [], attributes: json({}) },
  ],
  variants: [
    { id: IDS.mugBlue, tenant_id: tenantA, product_id: IDS.mug, sku: 'MUG-BLUE-350', name: 'Blue', options: json({ color: 'blue' }), price: 19900, compare_at_price: 24900, cost: 8000, currency: 'MXN', weight_grams: 420, barcode: '7501234567890', attributes: json({ capacity_ml: 350 }), position: 0 },
    { id: IDS.mugRed, tenant_id: tenantA, product_id: IDS.mug, sku: 'MUG-RED-350', name: 'Red', options: json({ color: 'red' }), price: 19900, currency: 'MXN', attributes: json({ capacity_ml: 350 }), position: 1, active: false },
    { id: IDS.teeM, tenant_id: tenantB, product_id: IDS.tee, sku: 'TEE-M', name: 'M', options: json({ size: 'M' }), price: 1500, currency: 'USD', attributes: json({}), position: 0 },
  ],
  product_images: [
    { tenant_id: tenantA, product_id: IDS.mug, variant_id: IDS.mugBlue, r2_key: `${tenantA}/images/mug-blue.webp`, sha256: 'a'.repeat(64), content_type: 'image/webp', bytes: 48_213, width: 1200, height: 1200, position: 0, alt: 'Blue mug', is_primary: true, embedding: unitVector(3), status: 'ready', thumbnails_at: past(10) },
    { tenant_id: tenantA, product_id: IDS.mug, variant_id: null, r2_key: `${tenantA}/images/mug-side.jpg`, sha256: 'b'.repeat(64), content_type: 'image/jpeg', bytes: 91_002, width: 1600, height: 900, position: 1, embedding: unitVector(4), status: 'ready' },
    { tenant_id: tenantB, product_id: IDS.tee, r2_key: `${tenantB}/images/tee.png`, sha256: 'c'.repeat(64), content_type: 'image/png', bytes: 12_000, width: 800, height: 800, embedding: null, status: 'failed', failure_reason: 'model_unavailable' },
  ],
  catalog_imports: [
    { id: 'd0000000-0000-4000-8000-000000000001', tenant_id: tenantA, status: 'finished', r2_key: `${tenantA}/imports/catalog.csv`, bytes: 2048, total_rows: 3, processed_rows: 3, created_rows: 2, updated_rows: 1, errors: json([]), finished_at: past(7) },
    { id: 'd0000000-0000-4000-8000-000000000002', tenant_id: tenantB, status: 'failed', r2_key: `${tenantB}/imports/bad.csv`, bytes: 10, total_rows: 1, failed_rows: 1, errors: json([{ row: 2, message: 'sku is required' }]), failure_reason: 'rows_failed' },
  ],
  category_centroids: [{ tenant_id: tenantA, category_id: IDS.mugCategory, centroid: unitVector(3), image_count: 2 }],
  query_embeddings: [
    { tenant_id: tenantA, model: 'clip-vit-b32', key: 'taza azul', embedding: unitVector(3) },
    { tenant_id: tenantB, model: 'clip-vit-b32', key: 'tee', embedding: unitVector(9) },
  ],
  search_log: [
    { tenant_id: tenantA, kind: 'text', query_text: 'taza azul', result_count: 1, top_score: 0.91, detected_category_id: IDS.mugCategory, took_ms: 38, cache_hit: false },
    { tenant_id: tenantA, kind: 'image', query_text: null, result_count: 0, top_score: null, took_ms: 120, cache_hit: true },
  ],
  startup_tasks: [{ name: 'backfill-thumbnails', state: 'done' }],
  email_verifications: [{ user_id: clerk, email: 'bob@mugs.co', token_hash: 'ev-hash-1', expires_at: future(1) }],
  invitations: [
    { tenant_id: tenantA, email: 'carla@tienda-azul.mx', role: 'staff', token_hash: 'inv-hash-1', invited_by: owner, expires_at: future(7) },
    { tenant_id: tenantA, email: 'bob@mugs.co', role: 'staff', token_hash: 'inv-hash-2', invited_by: owner, expires_at: future(7), accepted_at: past(3), accepted_by: clerk },
  ],
  ai_providers: [
    { tenant_id: tenantA, position: 0, kind: 'openai', name: 'OpenAI', base_url: 'https://api.openai.com/v1', model: 'gpt-4o-mini', api_key_ciphertext: 'sealed:abc', api_key_last4: 'x9Q2', input_price_per_mtok: 0.15, output_price_per_mtok: 0.6 },
    { tenant_id: tenantA, position: 1, kind: 'huggingface', name: 'HF fallback', hf_provider: 'together', model: 'meta-llama/Llama-3.1-8B-Instruct', enabled: false, first_token_timeout_ms: 15_000 },
  ],
  ai_usage: [{ id: 'e0000000-0000-4000-8000-000000000001', tenant_id: tenantA, provider_id: 'openai-0', provider_name: 'OpenAI', model: 'gpt-4o-mini', outcome: 'ok', tokens_in: 320, tokens_out: 85, cost_usd: 0.0001, latency_ms: 900, ttft_ms: 310, fallback_depth: 0, created_at: past(2) }],
  customers: [
    { id: IDS.customer, tenant_id: tenantA, email: 'lucia@example.mx', first_name: 'Lucía', last_name: 'Gómez', phone: '+525512345678', type: 'individual', tags: ['vip'], marketing_consent: true, consent_at: past(20), orders_count: 1, total_spent: 39800, last_order_at: past(4), search_text: 'lucia gomez lucia@example.mx' },
    { tenant_id: tenantB, email: 'acme@example.com', company: 'ACME', tax_id: 'ACM010101AAA', type: 'business', tags: [], deleted_at: past(1) },
  ],
  customer_addresses: [{ tenant_id: tenantA, customer_id: IDS.customer, kind: 'shipping', is_default: true, name: 'Lucía Gómez', line1: 'Av. Reforma 100', city: 'CDMX', region: 'CDMX', postal_code: '06600', country: 'MX', phone: '+525512345678' }],
  shipping_methods: [
    { tenant_id: tenantA, name: 'Estándar', price: 9900, currency: 'MXN', free_above: 100000 },
    { tenant_id: tenantA, name: 'Express', price: 19900, currency: 'MXN', active: false },
  ],
  events: [
    { id: IDS.event, tenant_id: tenantA, type: 'order.created', subject_type: 'order', subject_id: IDS.order, data: json({ number: 1001, total: 49700 }) },
    { tenant_id: tenantA, type: 'stock.low', subject_type: 'sku', subject_id: 'MUG-BLUE-350', data: json({ available: 3 }) },
  ],
  orders: [
    { id: IDS.order, tenant_id: tenantA, number: 1001, channel: 'storefront', idempotency_key: 'checkout-1', cart_id: IDS.cart, customer_id: IDS.customer, email: 'lucia@example.mx', customer_name: 'Lucía Gómez', status: 'open', payment_status: 'paid', fulfillment_status: 'partial', stock_state: 'committed', currency: 'MXN', subtotal: 39800, shipping: 9900, tax: 0, tax_included: true, total: 49700, paid_amount: 49700, refunded_amount: 0, shipping_method: json({ name: 'Estándar', price: 9900 }), shipping_address: json({ line1: 'Av. Reforma 100', city: 'CDMX', country: 'MX' }), billing_address: null, paid_at: past(4), created_at: past(4) },
    { id: '70000000-0000-4000-8000-000000000002', tenant_id: tenantB, number: 1, channel: 'pos', idempotency_key: 'pos-1', email: null, status: 'cancelled', currency: 'USD', subtotal: 1500, shipping: 0, tax: 240, tax_included: false, total: 1740, cancelled_at: past(2), stock_state: 'released' },
  ],
  order_lines: [
    { id: 'f0000000-0000-4000-8000-000000000001', tenant_id: tenantA, order_id: IDS.order, position: 0, sku: 'MUG-BLUE-350', product_id: IDS.mug, variant_id: IDS.mugBlue, product_name: 'Taza azul', variant_name: 'Blue', options: json({ color: 'blue' }), unit_price: 19900, quantity: 2, line_total: 39800, location: 'default', shard: 0, reservation_id: 'res-1', fulfilled_quantity: 1 },
    { id: 'f0000000-0000-4000-8000-000000000002', tenant_id: tenantB, order_id: '70000000-0000-4000-8000-000000000002', position: 0, sku: 'TEE-M', product_name: 'Plain tee', unit_price: 1500, quantity: 1, line_total: 1500, location: 'cdmx', shard: 0 },
  ],
  order_numbers: [
    { tenant_id: tenantA, last_number: 1001 },
    { tenant_id: tenantB, last_number: 1 },
  ],
  order_payments: [{ tenant_id: tenantA, order_id: IDS.order, method: 'card', amount: 49700, reference: 'pi_123', actor_type: 'system', actor_id: 'stripe' }],
  order_refunds: [{ tenant_id: tenantA, order_id: IDS.order, amount: 0, lines: json([]), restock: false, actor_type: 'user', actor_id: owner, stripe_refund_id: null }],
  order_fulfillments: [{ tenant_id: tenantA, order_id: IDS.order, lines: json([{ lineId: 'f0000000-0000-4000-8000-000000000001', quantity: 1 }]), carrier: 'DHL', tracking_number: '123456', tracking_url: 'https://dhl.example/123456', actor_type: 'user', actor_id: owner }],
  order_timeline: [
    { tenant_id: tenantA, order_id: IDS.order, type: 'created', data: json({}), actor_type: 'customer', actor_id: IDS.customer },
    { tenant_id: tenantA, order_id: IDS.order, type: 'paid', data: json({ amount: 49700 }), actor_type: 'system', actor_id: 'stripe' },
  ],
  webhook_endpoints: [{ id: IDS.endpoint, tenant_id: tenantA, url: 'https://hooks.tienda-azul.mx/vitrina', description: 'ERP', event_types: ['order.created', 'stock.low'], secret_sealed: 'sealed:whsec', previous_secret_sealed: null }],
  webhook_messages: [{ id: IDS.message, tenant_id: tenantA, endpoint_id: IDS.endpoint, event_id: IDS.event, event_type: 'order.created', status: 'delivered', attempts: 2, last_attempt_at: past(4), created_at: past(4) }],
  webhook_attempts: [
    { id: 'a2000000-0000-4000-8000-000000000001', tenant_id: tenantA, message_id: IDS.message, succeeded: false, response_status: 502, latency_ms: 1200, response: 'Bad gateway', attempted_at: past(4) },
    { id: 'a2000000-0000-4000-8000-000000000002', tenant_id: tenantA, message_id: IDS.message, succeeded: true, response_status: 200, latency_ms: 80, response: 'ok', attempted_at: past(4) },
  ],
  cart_summaries: [{ tenant_id: tenantA, id: IDS.cart, currency: 'MXN', customer_id: IDS.customer, email: 'lucia@example.mx', status: 'open', lines_count: 1, units_reserved: 2, subtotal: 39800, expires_at: future(1), created_at: past(1), updated_at: past(1) }],
  stripe_events: [{ id: 'evt_1', endpoint: 'platform', type: 'customer.subscription.updated', tenant_id: tenantA }],
  tenant_billing: [{ tenant_id: tenantA, stripe_customer_id: 'cus_123', subscription_id: 'sub_123', subscription_status: 'active', subscription_plan: 'professional', subscription_interval: 'month', current_period_end: future(20), subscription_event_at: 1_790_000_000, connect_account_id: 'acct_123', charges_enabled: true, payouts_enabled: true, requirements_due: json([]) }],
  notification_preferences: [{ tenant_id: tenantA, user_id: owner, type: 'order.created', in_app: true, email: false }],
  notifications: [
    { tenant_id: tenantA, user_id: owner, source_key: `event:${IDS.event}`, event_id: IDS.event, type: 'order.created', channel: 'in_app', locale: 'es-MX', title: 'Nuevo pedido #1001', body: 'Lucía Gómez · $497.00', data: json({ orderId: IDS.order }) },
    { tenant_id: tenantA, user_id: owner, source_key: `event:${IDS.event}:email`, type: 'order.created', channel: 'email', locale: 'es-MX', title: 'Nuevo pedido', body: '#1001', email_status: 'sent', email_attempts: 1, read_at: past(1) },
  ],
  chat_conversations: [{ tenant_id: tenantA, id: IDS.conversation, customer_id: IDS.customer, cart_id: IDS.cart, state: 'agent', agent_user_id: owner, agent_name: 'Ana', waited_ms: 4000, message_count: 2, last_message_at: past(1) }],
  chat_messages: [
    { tenant_id: tenantA, conversation_id: IDS.conversation, seq: 1, role: 'customer', author: 'Lucía', client_id: 'c-1', parts: json([{ type: 'text', text: '¿Tienen la taza en rojo?' }]), created_at: past(1) },
    { tenant_id: tenantA, conversation_id: IDS.conversation, seq: 2, role: 'assistant', parts: json([{ type: 'text', text: 'Por ahora no.' }]), provider: 'OpenAI', model: 'gpt-4o-mini', tokens_in: 300, tokens_out: 12, cost_usd: 0.00005, latency_ms: 700, created_at: past(1) },
  ],
  tenant_archives: [
    { id: 'a3000000-0000-4000-8000-000000000001', tenant_id: tenantA, kind: 'export', state: 'completed', progress: json({ products: 2, objects: 3 }), r2_prefix: `archives/${tenantA}/a3000000-0000-4000-8000-000000000001/`, created_by: owner, finished_at: past(1) },
    { id: 'a3000000-0000-4000-8000-000000000002', tenant_id: tenantB, kind: 'import', state: 'failed', progress: json({}), r2_prefix: `archives/${tenantB}/a3000000-0000-4000-8000-000000000002/`, error: 'invalid_archive' },
  ],
}

/** What a migration is meant to do to existing rows: tables it empties on purpose (a cache, for example). */
export const EXPECTED_TRANSFORMATIONS: Record<string, { emptied?: string[]; changedColumns?: Record<string, string[]> }> = {
  // The query-embedding cache became per tenant; cached vectors had no tenant and were dropped (only a cache).
  '0010_query_embeddings_per_tenant': { emptied: ['query_embeddings'] },
}
