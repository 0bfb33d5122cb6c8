// Every inventory route of the Worker: levels, stock changes, reservations, alerts, realtime, and the seed's external API.
import { createRouter } from '../../lib/openapi'
import { alertRoutes } from './alerts'
import { externalRoutes } from './external'
import { levelRoutes } from './levels'
import { liveRoutes } from './live'
import { reservationRoutes } from './reservations'
import { stockRoutes } from './stock'

/** Mounted at `/` by the app; static paths (alerts, live, skus) come before `/v1/inventory/{sku}/...`. */
export const inventoryRoutes = createRouter()
  .route('/', stockRoutes)
  .route('/', reservationRoutes)
  .route('/', alertRoutes)
  .route('/', liveRoutes)
  .route('/', levelRoutes)
  .route('/', externalRoutes)
