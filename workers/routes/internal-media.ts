// The media bridge: how the CLIP service reads image originals from R2 and writes thumbnails back without R2
// credentials of its own. Guarded by the shared INTERNAL_TOKEN and kept out of the public OpenAPI document.
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'
import { createRouter } from '../lib/openapi'
import { MEDIA_FILES } from '../media/keys'
import { MAX_IMAGE_BYTES } from '../media/images'

/** Header the CLIP service sends the shared secret in. */
const INTERNAL_TOKEN_HEADER = 'x-internal-token'
/** Path prefix of the bridge; the rest of the path is the R2 key. */
const BRIDGE_PREFIX = '/internal/media/'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const escaped = (name: string) => name.replaceAll('.', '\\.')
/** Keys the bridge reads: an image's original or one of its thumbnails. */
const READABLE_KEY = new RegExp(`^t/${UUID}/images/${UUID}/(${Object.values(MEDIA_FILES).map(escaped).join('|')})$`)
/** Keys the bridge writes: thumbnails only; originals come from uploads. */
const WRITABLE_KEY = new RegExp(`^t/${UUID}/images/${UUID}/(${[MEDIA_FILES.small, MEDIA_FILES.large].map(escaped).join('|')})$`)
const THUMBNAIL_CONTENT_TYPE = 'image/webp'

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
}

/** Compares the presented token with the configured one in constant time (digests of equal length); never accepts an unset token. */
async function tokenMatches(presented: string | undefined, expected: string | undefined): Promise<boolean> {
  if (!presented || !expected) return false
  const [a, b] = await Promise.all([digest(presented), digest(expected)])
  return crypto.subtle.timingSafeEqual(a, b)
}

const requireInternalToken = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await tokenMatches(c.req.header(INTERNAL_TOKEN_HEADER), c.env.INTERNAL_TOKEN))) {
    throw new ApiError('unauthorized', 'A valid X-Internal-Token is required')
  }
  await next()
})

function keyOf(c: Context<AppEnv>, allowed: RegExp): string {
  const key = c.req.path.slice(BRIDGE_PREFIX.length)
  if (!allowed.test(key)) {
    throw new ApiError('invalid_request', 'Not a media key this bridge serves', { details: [{ in: 'path', path: 'key', message: `expected ${allowed.source}`, code: 'invalid_key' }] })
  }
  return key
}

/** GET and PUT of R2 objects by key for the CLIP service; not part of the public API. */
export const internalMediaRoutes = createRouter()
  .use(`${BRIDGE_PREFIX}*`, requireInternalToken)
  .get(`${BRIDGE_PREFIX}*`, async (c) => {
    const object = await c.env.MEDIA.get(keyOf(c, READABLE_KEY))
    if (!object) throw new ApiError('not_found', 'No such object')
    const headers = new Headers({ 'content-length': String(object.size), 'cache-control': 'no-store' })
    object.writeHttpMetadata(headers)
    return c.body(object.body, 200, Object.fromEntries(headers))
  })
  .put(`${BRIDGE_PREFIX}*`, async (c) => {
    const key = keyOf(c, WRITABLE_KEY)
    if ((c.req.header('content-type') ?? '').toLowerCase() !== THUMBNAIL_CONTENT_TYPE) {
      throw new ApiError('unsupported_media_type', `Thumbnails are stored as ${THUMBNAIL_CONTENT_TYPE}`)
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    if (bytes.byteLength === 0) throw new ApiError('invalid_request', 'The body is empty')
    if (bytes.byteLength > MAX_IMAGE_BYTES) throw new ApiError('payload_too_large', `A thumbnail may not exceed ${MAX_IMAGE_BYTES} bytes`)
    await c.env.MEDIA.put(key, bytes, { httpMetadata: { contentType: THUMBNAIL_CONTENT_TYPE } })
    return c.body(null, 204)
  })
