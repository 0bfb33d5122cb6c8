// HTTP routes of the CLIP service (Hono): embeddings, health, readiness and metrics.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import type { ClipConfig } from './config'
import type { Embedder } from './embedder'
import { ApiError, errorBody } from './errors'
import type { Indexer } from './index-job/indexer'
import { indexHandler } from './index-job/route'
import type { Metrics } from './metrics'

/** Multipart overhead allowed on top of the image bytes themselves. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024

type AppEnv = { Variables: { requestId: string } }

/** Header carrying the shared secret, as on the Worker's media bridge. */
export const INTERNAL_TOKEN_HEADER = 'X-Internal-Token'
/** Probes an orchestrator calls without credentials; they reveal nothing but liveness and model readiness. */
const OPEN_PATHS = new Set(['/healthz', '/readyz'])

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Compares the sent token with the configured one in constant time (over digests, so lengths do not leak either). */
function tokenMatches(sent: string | undefined, expected: string | undefined): boolean {
  return sent !== undefined && expected !== undefined && timingSafeEqual(digest(sent), digest(expected))
}

function textRequestSchema(config: ClipConfig) {
  return z.object({
    texts: z.array(z.string().min(1).max(config.maxTextChars)).min(1).max(config.maxTextsPerRequest),
  })
}

async function readImages(c: Context<AppEnv>, config: ClipConfig): Promise<Uint8Array[]> {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase()
  if (contentType.startsWith('image/')) return [new Uint8Array(await c.req.arrayBuffer())]
  if (!contentType.startsWith('multipart/form-data')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'send image bytes with Content-Type image/* or multipart/form-data files',
    )
  }
  const form = await c.req.formData().catch(() => {
    throw new ApiError(400, 'invalid_request', 'malformed multipart body')
  })
  const files = [...form.values()].filter((value): value is File => typeof value !== 'string')
  if (files.length === 0) throw new ApiError(400, 'invalid_request', 'multipart body has no files')
  if (files.length > config.maxImagesPerRequest) {
    throw new ApiError(400, 'invalid_request', `at most ${config.maxImagesPerRequest} images per request`)
  }
  return Promise.all(files.map(async (file) => new Uint8Array(await file.arrayBuffer())))
}

function embeddingsBody(
  embedder: Embedder,
  vectors: Float32Array[],
): { embeddings: number[][]; model: string; dims: number } {
  const info = embedder.info()
  return { embeddings: vectors.map((v) => Array.from(v)), model: info.name, dims: info.dims }
}

/** Builds the Hono app around an embedder (and the indexer, when indexing is configured); kept free of listening. */
export function createApp(embedder: Embedder, metrics: Metrics, config: ClipConfig, indexer?: Indexer): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const tooLarge = (): never => {
    throw new ApiError(413, 'payload_too_large', 'request body too large', undefined, { Connection: 'close' })
  }

  app.use(async (c, next) => {
    const started = performance.now()
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID())
    await next()
    c.header('X-Request-Id', c.get('requestId'))
    metrics.requestDuration.observe(
      { method: c.req.method, route: c.req.routePath, status: String(c.res.status) },
      (performance.now() - started) / 1000,
    )
  })

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
      return c.json(errorBody(error.code, error.message, error.details), error.status)
    }
    const requestId = c.get('requestId')
    console.error(`[${requestId}]`, error)
    return c.json(errorBody('internal', 'internal error', { requestId }), 500)
  })

  app.use(async (c, next) => {
    if (OPEN_PATHS.has(c.req.path) || tokenMatches(c.req.header(INTERNAL_TOKEN_HEADER), config.internalToken)) return next()
    const why = config.internalToken ? `send the service's internal token in ${INTERNAL_TOKEN_HEADER}` : 'INTERNAL_TOKEN is not configured on this service'
    throw new ApiError(401, 'unauthorized', why)
  })

  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404))

  app.get('/healthz', (c) => c.json({ status: 'ok' }))

  app.get('/readyz', (c) => {
    const readiness = embedder.readiness()
    return c.json(readiness, readiness.status === 'ready' ? 200 : 503)
  })

  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType)
    return c.body(await metrics.registry.metrics())
  })

  app.post(
    '/embed/image',
    bodyLimit({
      maxSize: config.maxImageBytes * config.maxImagesPerRequest + MULTIPART_OVERHEAD_BYTES,
      onError: tooLarge,
    }),
    async (c) => {
      const images = await readImages(c, config)
      return c.json(embeddingsBody(embedder, await embedder.embedImages(images)))
    },
  )

  app.post('/embed/text', async (c) => {
    const json: unknown = await c.req.json().catch(() => {
      throw new ApiError(400, 'invalid_request', 'body must be JSON')
    })
    const parsed = textRequestSchema(config).safeParse(json)
    if (!parsed.success) throw new ApiError(400, 'invalid_request', 'invalid text request', parsed.error.issues)
    return c.json(embeddingsBody(embedder, await embedder.embedTexts(parsed.data.texts)))
  })

  if (indexer) app.post('/index', indexHandler(indexer))

  return app
}
