// A database of its own on a given PostgreSQL server, created for one test stack or benchmark and dropped after, so
// runs on a shared server (the CI lane's, a benchmark server) never see each other's rows.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** A created database: its URL and how to drop it. */
export interface ThrowawayDatabase {
  url: string
  drop(): Promise<void>
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  await client.query(statement).finally(() => client.end())
}

/** Creates `<prefix>_<random>` on the server `serverUrl` points at. */
export async function createThrowawayDatabase(serverUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await onServer(serverUrl, `create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) }
}

/** The server's PostgreSQL and pgvector versions, for benchmark reports. */
export async function describeServer(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ version: string; pgvector: string | null }>(
      `select current_setting('server_version') as version, (select default_version from pg_available_extensions where name = 'vector') as pgvector`,
    )
    return `PostgreSQL ${rows[0]?.version} server with pgvector ${rows[0]?.pgvector ?? 'missing'}`
  } finally {
    await client.end()
  }
}
