// Every operation of the OpenAPI document and where its cross-tenant case lives, or why it has none (not tenant-scoped).
// tenant-isolation.test.ts fails for any operation missing here: a new route needs its row, and its case, to merge.

/** Where the case that runs tenant A's credentials against tenant B's data lives, as `file > test`. */
type CrossTenantCase = { case: string }
/** Why an operation has no cross-tenant case. */
type NotTenantScoped = { reason: string }

const ISOLATION = 'tenant-isolation.test.ts'
const CATALOG = 'catalog-isolation.test.ts > answers 404 for B’s catalog with A’s credentials'
const IMAGES = 'images-isolation.test.ts > answers 404 for B’s images and media with A’s credentials'
const STOCK = `${ISOLATION} > answers 404 for B's stock with A's credentials and changes nothing`
const LISTS = `${ISOLATION} > never lists B's rows to A`
const RESOURCES = `${ISOLATION} > answers 404 for B's resources with A's credentials`
const MORE = `${ISOLATION} > answers 404 for B's imports, similar products and stock checks, and scopes the rest to A`
const INVITATIONS = "security-invitations.test.ts > keeps tenants apart: A can neither see nor revoke B's invitations"
const BULK = "admin-pages-api.test.ts > answers 404 for another tenant's products and changes nothing, even mixed with the caller's own"
const CARTS = "carts.test.ts > keeps tenants apart: another tenant's credentials get 404 on every cart route"
const CARTS_LIST = "carts-list.test.ts > lists only the caller's tenant's carts"
const ORDERS = "orders-list.test.ts > keeps tenants apart: another tenant's credentials get 404 on every order route and change nothing"
const AI_PROVIDERS = "ai-providers.test.ts > never shows, changes or tests another tenant's providers"
const CUSTOMERS = "customers.test.ts > keeps tenants apart: another tenant's credentials get 404 on every customer route and change nothing"
const SHIPPING = "shipping-methods.test.ts > keeps tenants apart: another tenant's credentials get 404 on every shipping method route and change nothing"
const WEBHOOKS = "webhooks.test.ts > keeps tenants apart: another tenant's credentials get 404 on every webhook route and change nothing"
const BILLING = "stripe-billing.test.ts > keeps tenants apart: billing shows and changes only the caller's tenant"
const PAYMENTS = "stripe-connect.test.ts > keeps tenants apart: another tenant's credentials cannot open a session for an order, nor see its account"
const STRIPE_EVENTS = "stripe-connect.test.ts > ignores an event for another tenant's order and changes nothing"
const NOTIFICATIONS = "notifications.test.ts > keeps tenants apart: another tenant’s person neither sees nor marks these notifications"
const CHATS = "chat-routes.test.ts > keeps tenants apart: another tenant's credentials get 404 on every conversation route"
const ASSISTANT = "chat-assistant.test.ts > keeps each tenant's assistant settings to itself"
const AI_USAGE = "ai-gateway.test.ts > records every call and sums usage per day, provider and model, for the caller's tenant only"

/** Every operation as `METHOD /path` (OpenAPI path syntax). */
export const TENANT_COVERAGE: Record<string, CrossTenantCase | NotTenantScoped> = {
  'GET /v1/health': { reason: 'public liveness probe, no tenant data' },
  'POST /v1/auth/register': { reason: 'creates a new tenant; no existing tenant is addressed' },
  'POST /v1/auth/login': { reason: 'signs into a tenant the account is a member of (auth.test.ts covers non-members)' },
  'POST /v1/auth/refresh': { reason: 'the refresh token names its own tenant; no tenant is addressed' },
  'POST /v1/auth/logout': { reason: 'revokes the presented refresh token only' },
  'GET /v1/auth/me': { reason: 'the caller’s own identity and memberships' },
  'GET /v1/tenant': { case: LISTS },
  'PATCH /v1/tenant': { case: MORE },
  'GET /v1/usage': { case: MORE },
  'GET /v1/api-keys': { case: LISTS },
  'POST /v1/api-keys': { case: MORE },
  'DELETE /v1/api-keys/{id}': { case: RESOURCES },
  'POST /v1/api-keys/import': { case: "api-key-import.test.ts > keeps an imported key to its own tenant: another tenant's stock is unknown to it" },
  'GET /v1/audit-log': { case: LISTS },
  'GET /v1/members': { case: LISTS },
  'PATCH /v1/members/{userId}': { case: RESOURCES },
  'DELETE /v1/members/{userId}': { case: RESOURCES },
  'GET /v1/categories': { case: CATALOG },
  'POST /v1/categories': { case: MORE },
  'GET /v1/categories/{id}': { case: CATALOG },
  'PATCH /v1/categories/{id}': { case: CATALOG },
  'DELETE /v1/categories/{id}': { case: CATALOG },
  'GET /v1/attributes': { case: CATALOG },
  'POST /v1/attributes': { case: MORE },
  'PATCH /v1/attributes/{id}': { case: CATALOG },
  'DELETE /v1/attributes/{id}': { case: CATALOG },
  'GET /v1/products': { case: CATALOG },
  'POST /v1/products': { case: CATALOG },
  'GET /v1/products/{id}': { case: CATALOG },
  'PATCH /v1/products/{id}': { case: CATALOG },
  'DELETE /v1/products/{id}': { case: CATALOG },
  'GET /v1/products/{id}/variants': { case: CATALOG },
  'POST /v1/products/{id}/variants': { case: CATALOG },
  'PATCH /v1/products/{id}/variants/{variantId}': { case: CATALOG },
  'DELETE /v1/products/{id}/variants/{variantId}': { case: CATALOG },
  'GET /v1/products/{id}/images': { case: IMAGES },
  'POST /v1/products/{id}/images': { case: IMAGES },
  'GET /v1/products/{id}/images/{imageId}': { case: IMAGES },
  'PATCH /v1/products/{id}/images/{imageId}': { case: IMAGES },
  'DELETE /v1/products/{id}/images/{imageId}': { case: IMAGES },
  'POST /v1/products/{id}/images/{imageId}/reindex': { case: IMAGES },
  'GET /v1/media/t/{tenantId}/images/{imageId}/{file}': { case: IMAGES },
  'GET /v1/products/{id}/similar': { case: MORE },
  'POST /v1/products/import': { case: MORE },
  'GET /v1/products/imports/{id}': { case: MORE },
  'GET /v1/products/export': { case: 'bulk-export.test.ts > streams an empty catalog as a header or an empty array, and only the caller tenant' },
  'POST /v1/search/image': { case: 'search.test.ts > never returns another tenant’s products, nor inactive ones unless asked' },
  'POST /v1/search/text': { case: 'security-search-cache.test.ts > keys by tenant' },
  'POST /api/search': { case: 'search.test.ts > never returns another tenant’s products (the same runSearch, scoped by the key’s tenant)' },
  'GET /v1/analytics/searches': { case: 'security-search-cache.test.ts > keys by tenant' },
  'GET /v1/inventory': { case: STOCK },
  'PATCH /v1/inventory/{sku}': { case: STOCK },
  'GET /v1/inventory/{sku}/ledger': { case: STOCK },
  'POST /v1/inventory/skus': { case: MORE },
  'POST /v1/inventory/adjust': { case: STOCK },
  'POST /v1/inventory/reduce': { case: STOCK },
  'POST /v1/inventory/transfer': { case: MORE },
  'POST /v1/inventory/set': { case: MORE },
  'POST /v1/inventory/bulk-check': { case: MORE },
  'GET /v1/inventory/alerts': { case: LISTS },
  'POST /v1/inventory/alerts/{id}/acknowledge': { case: STOCK },
  'POST /v1/inventory/alerts/{id}/resolve': { case: STOCK },
  'POST /v1/inventory/reservations': { case: MORE },
  'POST /v1/inventory/reservations/{id}/commit': { case: STOCK },
  'POST /v1/inventory/reservations/{id}/release': { case: STOCK },
  'GET /v1/inventory/live': { reason: 'names no tenant or resource: the socket joins a shard of the credential’s own tenant (inventory-live.test.ts)' },
  'POST /api/external/inventory/reduce-stock': { case: STOCK },
  'GET /api/external/inventory/check-stock': { case: STOCK },
  'POST /api/external/inventory/bulk-check-stock': { case: MORE },
  'PATCH /v1/auth/me': { reason: 'the caller’s own account (auth-locale.test.ts > changes only the caller)' },
  'POST /v1/auth/verify-email': { reason: 'the link’s account, and only with that account’s own session (security-invitations.test.ts)' },
  'POST /v1/auth/verify-email/resend': { reason: 'the caller’s own email' },
  'POST /v1/members/invitations': { case: MORE },
  'GET /v1/members/invitations': { case: INVITATIONS },
  'DELETE /v1/members/invitations/{id}': { case: INVITATIONS },
  'POST /v1/invitations/{token}/accept': { reason: 'the token names its own tenant; the acceptor joins only that one (security-invitations.test.ts > the two-tenant pre-hijack)' },
  'POST /v1/products/bulk': { case: BULK },
  'POST /v1/carts': { case: CARTS },
  'GET /v1/carts/{id}': { case: CARTS },
  'POST /v1/carts/{id}/items': { case: CARTS },
  'PATCH /v1/carts/{id}/items/{lineId}': { case: CARTS },
  'DELETE /v1/carts/{id}/items/{lineId}': { case: CARTS },
  'GET /v1/carts': { case: CARTS_LIST },
  'POST /v1/carts/{id}/checkout': { case: ORDERS },
  'POST /v1/orders': { case: ORDERS },
  'GET /v1/orders': { case: ORDERS },
  'GET /v1/orders/export': { case: ORDERS },
  'GET /v1/orders/{id}': { case: ORDERS },
  'POST /v1/orders/{id}/payments': { case: ORDERS },
  'POST /v1/orders/{id}/cancel': { case: ORDERS },
  'POST /v1/orders/{id}/refunds': { case: ORDERS },
  'POST /v1/orders/{id}/fulfillments': { case: ORDERS },
  'GET /v1/ai/providers': { case: AI_PROVIDERS },
  'POST /v1/ai/providers': { case: AI_PROVIDERS },
  'PATCH /v1/ai/providers/{id}': { case: AI_PROVIDERS },
  'DELETE /v1/ai/providers/{id}': { case: AI_PROVIDERS },
  'PUT /v1/ai/providers/order': { case: AI_PROVIDERS },
  'POST /v1/ai/providers/{id}/test': { case: AI_PROVIDERS },
  'PUT /v1/ai/providers/{id}/breaker': { case: AI_PROVIDERS },
  'POST /v1/chats': { case: CHATS },
  'GET /v1/chats': { case: CHATS },
  'GET /v1/chats/{id}/live': { case: CHATS },
  'GET /v1/chats/{id}/messages': { case: CHATS },
  'POST /v1/chats/{id}/state': { case: CHATS },
  'GET /v1/assistant/settings': { case: ASSISTANT },
  'PUT /v1/assistant/settings': { case: ASSISTANT },
  'POST /v1/ai/chat/completions': { reason: 'names no resource: it calls the caller tenant’s own providers (their isolation: ai-providers.test.ts)' },
  'GET /v1/ai/usage': { case: AI_USAGE },
  'GET /v1/customers': { case: CUSTOMERS },
  'POST /v1/customers': { case: CUSTOMERS },
  'GET /v1/customers/{id}': { case: CUSTOMERS },
  'PATCH /v1/customers/{id}': { case: CUSTOMERS },
  'DELETE /v1/customers/{id}': { case: CUSTOMERS },
  'POST /v1/customers/{id}/addresses': { case: CUSTOMERS },
  'PATCH /v1/customers/{id}/addresses/{addressId}': { case: CUSTOMERS },
  'DELETE /v1/customers/{id}/addresses/{addressId}': { case: CUSTOMERS },
  'GET /v1/shipping-methods': { case: SHIPPING },
  'POST /v1/shipping-methods': { case: SHIPPING },
  'GET /v1/shipping-methods/{id}': { case: SHIPPING },
  'PATCH /v1/shipping-methods/{id}': { case: SHIPPING },
  'DELETE /v1/shipping-methods/{id}': { case: SHIPPING },
  'GET /v1/webhooks/endpoints': { case: WEBHOOKS },
  'POST /v1/webhooks/endpoints': { case: WEBHOOKS },
  'GET /v1/webhooks/endpoints/{id}': { case: WEBHOOKS },
  'PATCH /v1/webhooks/endpoints/{id}': { case: WEBHOOKS },
  'DELETE /v1/webhooks/endpoints/{id}': { case: WEBHOOKS },
  'POST /v1/webhooks/endpoints/{id}/rotate-secret': { case: WEBHOOKS },
  'GET /v1/webhooks/endpoints/{id}/messages': { case: WEBHOOKS },
  'GET /v1/webhooks/endpoints/{id}/messages/{messageId}': { case: WEBHOOKS },
  'POST /v1/webhooks/endpoints/{id}/messages/{messageId}/retry': { case: WEBHOOKS },
  'POST /v1/webhooks/endpoints/{id}/test': { case: WEBHOOKS },
  'POST /v1/webhooks/endpoints/{id}/replay': { case: WEBHOOKS },
  'GET /v1/billing': { case: BILLING },
  'POST /v1/billing/checkout': { case: BILLING },
  'POST /v1/billing/portal': { case: BILLING },
  'GET /v1/payments/connect': { case: PAYMENTS },
  'POST /v1/payments/connect': { case: PAYMENTS },
  'POST /v1/orders/{id}/checkout-session': { case: PAYMENTS },
  'POST /v1/webhooks/stripe': { case: "stripe-billing.test.ts > applies a subscription only to the tenant whose customer it names" },
  'POST /v1/webhooks/stripe-connect': { case: STRIPE_EVENTS },
  'GET /v1/notifications': { case: NOTIFICATIONS },
  'POST /v1/notifications/read': { case: NOTIFICATIONS },
  'GET /v1/notifications/preferences': { case: NOTIFICATIONS },
  'PUT /v1/notifications/preferences': { case: NOTIFICATIONS },
}
