// Per-request Postgres access for the Worker: a Worker cannot reuse a socket across requests,
// so each request opens its own client lazily and closes it after the response (ARCHITECTURE.md).
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../lib/app-env'
import { createDatabase, type Database, type DatabaseClient } from '../db/client'

/** Lazily connected database of one request. */
export interface DbHandle {
  get(): Database
}

/** Middleware that gives every request `c.var.db` and closes what it opened once the response is out. */
export const requestDatabase = createMiddleware<AppEnv>(async (c, next) => {
  let client: DatabaseClient | undefined
  c.set('db', {
    get() {
      client ??= createDatabase({ url: c.env.DATABASE_URL, driver: c.env.DATABASE_DRIVER })
      return client.db
    },
  })
  try {
    await next()
  } finally {
    if (client) c.executionCtx.waitUntil(client.close())
  }
})
