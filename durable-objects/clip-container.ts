// The CLIP embedding service as a Cloudflare Container: the Worker reaches it through this Durable Object in production.
import { Container } from '@cloudflare/containers'

/** HTTP port the CLIP service listens on inside the container (containers/clip, CLIP_PORT). */
const CLIP_PORT = 8790

/** One CLIP service instance; it sleeps after a quiet spell so idle tenants cost nothing. */
export class ClipContainer extends Container<Env> {
  override defaultPort = CLIP_PORT
  override sleepAfter = '15m'

  constructor(ctx: ConstructorParameters<typeof Container<Env>>[0], env: Env) {
    super(ctx, env)
    this.envVars = {
      DATABASE_URL: env.DATABASE_URL,
      DATABASE_DRIVER: env.DATABASE_DRIVER,
      INTERNAL_TOKEN: env.INTERNAL_TOKEN,
      MEDIA_BASE_URL: env.PUBLIC_URL,
    }
  }
}
