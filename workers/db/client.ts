// The one Postgres client factory, shared by the Worker, the CLIP service and scripts:
// Neon's serverless driver (Pool over WebSocket) for Neon URLs, node-postgres over TCP for any other.
import { Pool as NeonPool, neonConfig } from '@neondatabase/serverless'
import { drizzle as drizzleNeon, type NeonDatabase } from 'drizzle-orm/neon-serverless'
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'

export type DatabaseDriver = 'neon' | 'pg'

/** How to reach Postgres. */
export interface DatabaseConfig {
  url: string
  /** `auto` (default) picks `neon` for hosts under neon.tech and `pg` for anything else. */
  driver?: string
  /** Pool size; a Worker request uses 1, long-lived Node processes more. */
  maxConnections?: number
  /** Neon driver only: `host:port` of a WebSocket-to-TCP proxy (plain ws), for local runs against any Postgres. */
  neonWsProxy?: string
}

/**
 * A drizzle database over either driver; both speak the same SQL and return the same rows. It carries no schema: the
 * relational query API is not used, and building its config cost every request's client a walk over all tables.
 */
export type Database = PgDatabase<PgQueryResultHKT>

/** A database plus the pool behind it, which the owner closes; `driver` tells which one it is. */
export type DatabaseClient =
  | { driver: 'neon'; db: NeonDatabase; close(): Promise<void> }
  | { driver: 'pg'; db: NodePgDatabase; close(): Promise<void> }

/** Picks the driver for a URL: Neon's own hosts get the WebSocket driver. */
export function resolveDriver(url: string, driver = 'auto'): DatabaseDriver {
  switch (driver) {
    case 'neon':
    case 'pg':
      return driver
    case 'auto':
      return new URL(url).hostname.endsWith('.neon.tech') ? 'neon' : 'pg'
    default:
      throw new Error(`DATABASE_DRIVER must be auto, neon or pg, not "${driver}"`)
  }
}

/** Opens a pool for `config.url` with the right driver and wraps it in drizzle. */
export function createDatabase(config: DatabaseConfig): DatabaseClient {
  const driver = resolveDriver(config.url, config.driver)
  const max = config.maxConnections ?? 1
  if (driver === 'neon') {
    if (config.neonWsProxy) useNeonProxy(config.neonWsProxy)
    const pool = new NeonPool({ connectionString: config.url, max })
    return { db: drizzleNeon({ client: pool }), driver, close: () => pool.end() }
  }
  const pool = new pg.Pool({ connectionString: config.url, max })
  return { db: drizzlePg({ client: pool }), driver, close: () => pool.end() }
}

function useNeonProxy(proxy: string): void {
  neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`
  neonConfig.useSecureWebSocket = false
  neonConfig.pipelineTLS = false
  neonConfig.pipelineConnect = false
}

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<Row>(db: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query)
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) return result.rows as Row[]
  throw new Error('the database driver returned no rows array')
}

/** `ids` as a comma-separated list of uuid parameters, for `in (…)`. */
export function uuidList(ids: readonly string[]): SQL {
  return sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)
}
