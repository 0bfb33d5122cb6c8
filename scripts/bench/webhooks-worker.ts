// Worker entry for `npm run bench:webhooks`: the real app, plus /v1/bench/dispatch/<tenant> (no authentication, bench
// entry only) that runs the post-commit hand-off alone, so the bench can time delivery from events it commits itself.
import app from '../../workers/index'
import { dispatchEvents } from '../../workers/webhooks/endpoints'

export * from '../../workers/index'

const DISPATCH_PATH = '/v1/bench/dispatch/'

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url)
    if (request.method === 'POST' && pathname.startsWith(DISPATCH_PATH)) {
      ctx.waitUntil(dispatchEvents(env, pathname.slice(DISPATCH_PATH.length), ['customer.created']))
      return new Response(null, { status: 202 })
    }
    return app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>
