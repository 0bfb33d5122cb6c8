// The API's own description: GET /openapi.json (OpenAPI 3.1, generated from the zod route schemas) and interactive docs at /docs.
import type { OpenAPIHono } from '@hono/zod-openapi'
import pkg from '../../package.json'
import type { AppEnv } from '../lib/app-env'
import { declareInheritedResponses } from '../lib/openapi-responses'
import { eventCatalogueMarkdown } from '../webhooks/event-catalogue'

/** Static files of Swagger UI, copied from swagger-ui-dist into the assets by `npm run build:web`. */
const SWAGGER_ASSETS = '/docs-assets'

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vitrina API</title>
<link rel="stylesheet" href="${SWAGGER_ASSETS}/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="${SWAGGER_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${SWAGGER_ASSETS}/docs-init.js"></script>
</body>
</html>`

/** Adds /openapi.json and /docs to the composed app (after every other route, so the document lists them all). */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'Storefront key (`vk_live_...`); also accepted as `Authorization: Bearer <key>`',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from /v1/auth/login or /v1/auth/register (15 minutes)',
  })
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined
  const config: Parameters<typeof app.getOpenAPI31Document>[0] = {
    openapi: '3.1.0',
    info: {
      title: 'Vitrina API',
      version: pkg.version,
      description: 'Multi-tenant commerce backend: catalog, visual search, stock, carts and chat. Errors: `{"error": {"code", "message", "details"?}}`. Any route may also answer 500 `internal` (with a `requestId`) or 503 `database_busy` with Retry-After when the database turns new connections away; the request can be retried as it was.\n\n' + eventCatalogueMarkdown(),
    },
    servers: [{ url: '/' }],
  }
  app.get('/openapi.json', (c) => c.json((document ??= declareInheritedResponses(app.getOpenAPI31Document(config)))))
  app.get('/docs', (c) => c.html(DOCS_PAGE))
}
