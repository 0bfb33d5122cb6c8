// The Hono environment of the edge Worker: bindings from `wrangler types` plus per-request variables.
import type { Caller } from '../auth/context'
import type { DbHandle } from '../middleware/request-database'

/** Variables the middleware sets on every request. */
export interface AppVariables {
  requestId: string
  tenantId: string | undefined
  db: DbHandle
  /** Set by `authenticate` (via `requireScope` / `requireMember`); only routes declared with one of those read it. */
  caller: Caller
}

/** Generic argument of every Hono app and route module in the Worker. */
export interface AppEnv {
  Bindings: Env
  Variables: AppVariables
}
