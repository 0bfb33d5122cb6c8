// The embedded default database: PGlite (Postgres in WebAssembly) with pgvector and pg_trgm, served on loopback by pglite-socket.
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

/** Every concurrent Worker request opens its own connection, and extra connections are refused, not queued. */
export const EMBEDDED_MAX_CONNECTIONS = 200

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the data across restarts; in memory when absent. */
  dataDir?: string
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number
}

export interface EmbeddedPostgres {
  url: string
  stop(): Promise<void>
}

/** Starts PGlite behind a Postgres wire-protocol socket and returns its connection URL. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { vector, pg_trgm } })
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: EMBEDDED_MAX_CONNECTIONS })
  await server.start()
  const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`
  return {
    url,
    async stop() {
      await server.stop()
      await db.close()
    },
  }
}
