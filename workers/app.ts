// Composes the edge Worker: middleware in order, then every route module, then the docs and the fallbacks.
import { createRouter } from './lib/openapi'
import { bodySizeLimit } from './middleware/body-size'
import { handleError } from './middleware/error-handler'
import { notFoundOrMethodNotAllowed } from './middleware/not-found'
import { requestContext } from './middleware/request-context'
import { requestDatabase } from './middleware/request-database'
import { securityHeaders } from './middleware/security-headers'
import { storefrontPreflight } from './middleware/storefront'
import { aiChatRoutes } from './routes/ai-chat'
import { aiProviderRoutes } from './routes/ai-providers'
import { apiKeyRoutes } from './routes/api-keys'
import { attributeRoutes } from './routes/attributes'
import { cartRoutes } from './routes/carts'
import { chatRoutes } from './routes/chats'
import { assistantSettingsRoutes } from './routes/assistant-settings'
import { orderActionRoutes } from './routes/orders/actions'
import { orderRoutes } from './routes/orders/orders'
import { categoryRoutes } from './routes/categories'
import { customerAddressRoutes } from './routes/customers/addresses'
import { customerRoutes } from './routes/customers/customers'
import { bulkProductRoutes } from './routes/products/bulk'
import { bulkActionRoutes } from './routes/products/bulk-actions'
import { productRoutes } from './routes/products/products'
import { imageRoutes } from './routes/products/images'
import { variantRoutes } from './routes/products/variants'
import { auditLogRoutes } from './routes/audit-log'
import { authRoutes } from './routes/auth'
import { registerDocs } from './routes/docs'
import { analyticsRoutes } from './routes/analytics'
import { healthRoutes } from './routes/health'
import { inventoryRoutes } from './routes/inventory'
import { internalMediaRoutes } from './routes/internal-media'
import { mediaRoutes } from './routes/media'
import { memberRoutes } from './routes/members'
import { invitationRoutes } from './routes/invitations'
import { emailVerificationRoutes } from './routes/email-verification'
import { searchRoutes } from './routes/search'
import { shippingMethodRoutes } from './routes/shipping-methods'
import { tenantRoutes } from './routes/tenant'
import { tenantArchiveRoutes } from './routes/tenant-archives'
import { usageRoutes } from './routes/usage'
import { webhookEndpointRoutes } from './routes/webhooks/endpoints'
import { webhookMessageRoutes } from './routes/webhooks/messages'
import { billingRoutes } from './routes/billing'
import { paymentRoutes } from './routes/payments'
import { stripeWebhookRoutes } from './routes/stripe-webhooks'
import { notificationRoutes } from './routes/notifications'
import { tenantLiveRoutes } from './routes/tenant-live'

/** Routes a browser storefront calls with a publishable key; only these answer CORS preflights. */
const STOREFRONT_PATHS = ['/v1/products', '/v1/products/*', '/v1/carts', '/v1/carts/*', '/v1/shipping-methods', '/v1/shipping-methods/*', '/v1/search/text', '/v1/search/image', '/v1/inventory/bulk-check', '/v1/chats']

/** Builds the Hono app; the Worker entry and the tests use the same composition. */
export function createApp() {
  const app = createRouter()
  app.use(securityHeaders, requestContext, bodySizeLimit, requestDatabase)
  for (const path of STOREFRONT_PATHS) app.use(path, storefrontPreflight)
  const routed = app
    .route('/', healthRoutes)
    .route('/', authRoutes)
    .route('/', emailVerificationRoutes)
    .route('/', tenantRoutes)
    .route('/', tenantArchiveRoutes)
    .route('/', invitationRoutes)
    .route('/', memberRoutes)
    .route('/', apiKeyRoutes)
    .route('/', usageRoutes)
    .route('/', auditLogRoutes)
    .route('/', categoryRoutes)
    .route('/', attributeRoutes)
    .route('/', bulkProductRoutes)
    .route('/', bulkActionRoutes)
    .route('/', productRoutes)
    .route('/', variantRoutes)
    .route('/', imageRoutes)
    .route('/', mediaRoutes)
    .route('/', inventoryRoutes)
    .route('/', searchRoutes)
    .route('/', analyticsRoutes)
    .route('/', internalMediaRoutes)
    .route('/', cartRoutes)
    .route('/', orderRoutes)
    .route('/', orderActionRoutes)
    .route('/', customerRoutes)
    .route('/', customerAddressRoutes)
    .route('/', shippingMethodRoutes)
    .route('/', aiProviderRoutes)
    .route('/', aiChatRoutes)
    .route('/', chatRoutes)
    .route('/', assistantSettingsRoutes)
    .route('/', webhookEndpointRoutes)
    .route('/', webhookMessageRoutes)
    .route('/', billingRoutes)
    .route('/', paymentRoutes)
    .route('/', stripeWebhookRoutes)
    .route('/', notificationRoutes)
    .route('/', tenantLiveRoutes)
  registerDocs(app)
  app.notFound(notFoundOrMethodNotAllowed(app))
  app.onError(handleError)
  return routed
}

/** The app's type, for typed clients (hono/client) in the admin UI. */
export type AppType = ReturnType<typeof createApp>
