// Worker entry: the Hono app serves HTTP, and every Durable Object class the Worker binds is exported here.
import { createApp } from './app'

export { Cart } from '../durable-objects/cart'
export { CatalogImport } from '../durable-objects/catalog-import'
export { TenantArchive } from '../durable-objects/tenant-archive'
export { ChatRoom } from '../durable-objects/chat-room'
export { ClipContainer } from '../durable-objects/clip-container'
export { Inventory } from '../durable-objects/inventory'
export { Notifier } from '../durable-objects/notifier'
export { ProviderHealth } from '../durable-objects/provider-health'
export { RateLimiter } from '../durable-objects/rate-limiter'
export { TenantChannel } from '../durable-objects/tenant-channel'
export { WebhookEndpoint } from '../durable-objects/webhook-endpoint'

const app = createApp()

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>
