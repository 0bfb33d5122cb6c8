// The query image of an image search, however it arrives: a multipart `image` field, raw bytes (Content-Type
// image/*), base64 in JSON, or a URL fetched under the same SSRF rules and checks as uploads.
import { ApiError } from '../lib/errors'
import { checkFetched, fetchRemoteImage, type RemoteFetchLimits } from '../media/fetch-url'
import { MAX_IMAGE_BYTES, validateImage, type ValidImage } from '../media/images'
import { dohResolver } from '../media/resolver'

/** One deadline for DNS, every redirect and the body of a query image fetched by URL; at most 3 redirects. */
const URL_FETCH_LIMITS: RemoteFetchLimits = { maxBytes: MAX_IMAGE_BYTES, timeoutMs: 10_000, maxRedirects: 3 }

/** The JSON forms of the query image. */
export interface JsonImageInput {
  imageBase64?: string | undefined
  url?: string | undefined
}

const missingImage = (message: string) => new ApiError('invalid_request', message, { details: [{ in: 'body', path: 'image', message: 'no image', code: 'required' }] })

function decodeBase64(text: string): Uint8Array {
  const payload = text.replace(/^data:[^,]*;base64,/i, '').replace(/\s+/g, '')
  try {
    return Uint8Array.from(atob(payload), (ch) => ch.charCodeAt(0))
  } catch {
    throw new ApiError('invalid_request', 'imageBase64 is not valid base64', { details: [{ in: 'json', path: 'imageBase64', message: 'invalid base64', code: 'invalid_string' }] })
  }
}

/** Validates raw bytes as a query image (magic bytes, size, dimensions): 415, 413 or 400 otherwise. */
export function queryImage(bytes: Uint8Array, label = 'the image'): ValidImage {
  if (bytes.byteLength === 0) throw missingImage('The request carries no image')
  return validateImage(bytes, label)
}

/** The image of a JSON body: exactly one of `imageBase64` or `url`. */
export async function jsonQueryImage(env: Env, input: JsonImageInput): Promise<ValidImage> {
  if (input.imageBase64 !== undefined && input.url !== undefined) throw new ApiError('invalid_request', 'Send either imageBase64 or url, not both')
  if (input.imageBase64 !== undefined) return queryImage(decodeBase64(input.imageBase64), 'imageBase64')
  if (input.url !== undefined) return checkFetched(await fetchRemoteImage(input.url, dohResolver(env.DNS_RESOLVER_URL), URL_FETCH_LIMITS), (bytes) => queryImage(bytes, 'the image at the URL'))
  throw missingImage('Send the image as multipart "image", raw image/* bytes, or JSON {"imageBase64"} or {"url"}')
}
