// The embedded default database: PGlite (Postgres in WebAssembly) with pgvector and pg_trgm, served on loopback.
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { vector } from '@electric-sql/pglite-pgvector'
import { serveWireProtocol } from './pglite-wire-server'

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
  const server = await serveWireProtocol(db, '127.0.0.1', options.port ?? 0)
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${server.port}/postgres`,
    async stop() {
      await server.close()
      await db.close()
    },
  }
}
