// The Worker's one way to talk to the CLIP service: by URL in local development, through the container binding in production.
import { getContainer } from '@cloudflare/containers'

/** How long a readiness probe may take before the service counts as down. */
const READINESS_TIMEOUT_MS = 1500

export type ClipStatus = 'ready' | 'model_unavailable' | 'down'

/** Sends a request to the CLIP service; `CLIP_URL` empty or "container" routes to the container binding. */
export function clipFetch(env: Env, path: string, init?: RequestInit): Promise<Response> {
  const base: string = env.CLIP_URL
  if (base && base !== 'container') return fetch(new URL(path, base), init)
  return getContainer(env.CLIP_CONTAINER).fetch(new Request(new URL(path, 'http://clip'), init))
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
