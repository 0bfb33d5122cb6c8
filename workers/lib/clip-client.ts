// The Worker's one way to talk to the CLIP service: by URL in local development, through the container binding in production.
import { getContainer } from '@cloudflare/containers'
import { ApiError } from './errors'

/** How long a readiness probe may take before the service counts as down. */
const READINESS_TIMEOUT_MS = 1500

export type ClipStatus = 'ready' | 'model_unavailable' | 'down'

/** Header carrying `INTERNAL_TOKEN`, which the CLIP service requires on every route but its health probes. */
const INTERNAL_TOKEN_HEADER = 'X-Internal-Token'

/**
 * Sends a request to the CLIP service with the internal token; `CLIP_URL` empty or "container" routes to the
 * container binding.
 */
export function clipFetch(env: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set(INTERNAL_TOKEN_HEADER, env.INTERNAL_TOKEN)
  const request = { ...init, headers }
  const base: string = env.CLIP_URL
  if (base && base !== 'container') return fetch(new URL(path, base), request)
  return getContainer(env.CLIP_CONTAINER).fetch(new Request(new URL(path, 'http://clip'), request))
}

/** Asks the CLIP service whether it can embed: ready, up without a model, or unreachable. */
export async function clipStatus(env: Env): Promise<ClipStatus> {
  try {
    const res = await clipFetch(env, '/readyz', { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) })
    if (res.ok) return 'ready'
    const body: unknown = await res.json().catch(() => null)
    const status = typeof body === 'object' && body !== null && 'status' in body ? body.status : undefined
    return status === 'model_unavailable' ? 'model_unavailable' : 'down'
  } catch {
    return 'down'
  }
}

/** One embedding call may take this long (queueing included) before the service counts as unavailable. */
const EMBED_TIMEOUT_MS = 15_000
/** Pause before the one retry of a 503 or 429 when the service names no Retry-After. */
const RETRY_DELAY_MS = 250
/** Longest Retry-After the Worker waits out itself before answering 429 to its caller. */
const MAX_RETRY_WAIT_MS = 2_000

/** Vectors from the CLIP service and the model that made them. */
export interface Embeddings {
  embeddings: number[][]
  model: string
  dims: number
}

function isEmbeddings(body: unknown): body is Embeddings {
  if (typeof body !== 'object' || body === null) return false
  const { embeddings, model, dims } = body as Record<string, unknown>
  return Array.isArray(embeddings) && embeddings.every((e) => Array.isArray(e)) && typeof model === 'string' && typeof dims === 'number'
}

function retryAfterMs(res: Response): number {
  const seconds = Number(res.headers.get('retry-after'))
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : RETRY_DELAY_MS
}

async function clipErrorCode(res: Response): Promise<string | undefined> {
  const body: unknown = await res.json().catch(() => null)
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined
  const error: unknown = body.error
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

/** Maps a CLIP answer that is not 2xx to our errors: 503 model/service unavailable, 429 with Retry-After, 413/415/400 for bad images. */
async function clipFailure(res: Response): Promise<ApiError> {
  const code = await clipErrorCode(res)
  if (res.status === 429) {
    const seconds = String(Math.ceil(retryAfterMs(res) / 1000))
    return new ApiError('rate_limited', 'The embedding service is busy; retry shortly', { headers: { 'Retry-After': seconds }, details: { retryAfterSeconds: Number(seconds) } })
  }
  if (res.status === 503) {
    return code === 'model_unavailable'
      ? new ApiError('model_unavailable', 'The embedding model is not loaded', { headers: { 'Retry-After': '30' } })
      : new ApiError('service_unavailable', 'The embedding service is unavailable', { headers: { 'Retry-After': '30' } })
  }
  if (res.status === 413) return new ApiError('payload_too_large', 'The image is too large for the embedding service')
  if (res.status === 415 || code === 'invalid_image' || code === 'unsupported_media_type') {
    return new ApiError('unsupported_media_type', 'The image could not be decoded', { details: { upstream: code ?? res.status } })
  }
  return new ApiError('service_unavailable', `The embedding service answered ${res.status}`, { details: { upstream: code ?? res.status } })
}

async function embed(env: Env, path: string, init: () => RequestInit): Promise<Embeddings> {
  let res: Response
  for (let attempt = 0; ; attempt += 1) {
    try {
      res = await clipFetch(env, path, { ...init(), signal: AbortSignal.timeout(EMBED_TIMEOUT_MS) })
    } catch {
      throw new ApiError('service_unavailable', 'The embedding service is unreachable', { headers: { 'Retry-After': '30' } })
    }
    const retriable = res.status === 503 || res.status === 429
    if (!retriable || attempt > 0 || retryAfterMs(res) > MAX_RETRY_WAIT_MS) break
    await res.body?.cancel()
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs(res)))
  }
  if (!res.ok) throw await clipFailure(res)
  const body: unknown = await res.json()
  if (!isEmbeddings(body) || body.embeddings.length === 0) throw new ApiError('service_unavailable', 'The embedding service answered without embeddings')
  return body
}

/** Embeds one image with CLIP's image tower; one retry on 503/429, then ApiError (503, 429 with Retry-After, 413, 415). */
export function embedImage(env: Env, bytes: Uint8Array, contentType: string): Promise<Embeddings> {
  return embed(env, '/embed/image', () => ({ method: 'POST', headers: { 'content-type': contentType }, body: bytes }))
}

/** Embeds texts with CLIP's text tower, one vector per text in order; same retry and errors as `embedImage`. */
export function embedText(env: Env, texts: string[]): Promise<Embeddings> {
  return embed(env, '/embed/text', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts }) }))
}
