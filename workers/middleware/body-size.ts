// Caps request bodies before anything reads them: JSON is small, uploads may be larger; both answer 413 past the cap.
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../lib/app-env'
import { ApiError } from '../lib/errors'

/** Largest JSON body any route accepts. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024
/** Largest non-JSON body (multipart uploads of one image up to 10 MB plus form overhead). */
export const MAX_UPLOAD_BODY_BYTES = 11 * 1024 * 1024

function limit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('payload_too_large', `Request body exceeds ${maxSize} bytes`, { details: { maxBytes: maxSize } })
    },
  })
}

const jsonLimit = limit(MAX_JSON_BODY_BYTES)
const uploadLimit = limit(MAX_UPLOAD_BODY_BYTES)

/** Applies the JSON or the upload cap depending on the request's Content-Type. */
export const bodySizeLimit = createMiddleware<AppEnv>(async (c, next) => {
  const type = c.req.header('content-type') ?? ''
  return type.includes('json') ? jsonLimit(c, next) : uploadLimit(c, next)
})
