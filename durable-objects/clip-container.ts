// The CLIP embedding service as a Cloudflare Container: the Worker reaches it through this Durable Object in production.
import { Container } from '@cloudflare/containers'

/** HTTP port the CLIP service listens on inside the container (containers/clip, CLIP_PORT). */
const CLIP_PORT = 8790

/** One CLIP service instance; it sleeps after a quiet spell so idle tenants cost nothing. */
export class ClipContainer extends Container<Env> {
  override defaultPort = CLIP_PORT
  override sleepAfter = '15m'
}
