// The database a benchmark runs on: a throwaway database on the server BENCH_DATABASE_URL names (for example one
// from ../shared/tools/pg-server), or the embedded PGlite, the local default. Every report names which it was.
import { createThrowawayDatabase, describeServer } from '../db/throwaway-database'
import { startEmbeddedPostgres } from '../db/embedded-postgres'

/** A database for one benchmark run: its URL, what it is, and how to remove it. */
export interface BenchDatabase {
  url: string
  /** e.g. "PostgreSQL 15.14 server with pgvector 0.8.6 (BENCH_DATABASE_URL)" or "embedded PGlite …". */
  label: string
  server: boolean
  stop(): Promise<void>
}

/** Opens the run's database on BENCH_DATABASE_URL when set, else starts the embedded PGlite. */
export async function benchDatabase(prefix: string): Promise<BenchDatabase> {
  const serverUrl = process.env.BENCH_DATABASE_URL
  if (serverUrl) {
    const database = await createThrowawayDatabase(serverUrl, prefix)
    return { url: database.url, label: `${await describeServer(serverUrl)} (BENCH_DATABASE_URL)`, server: true, stop: database.drop }
  }
  const embedded = await startEmbeddedPostgres()
  return {
    url: embedded.url,
    label: 'embedded PGlite (PostgreSQL in WebAssembly, one session; set BENCH_DATABASE_URL to a server, e.g. from ../shared/tools/pg-server)',
    server: false,
    stop: embedded.stop,
  }
}
