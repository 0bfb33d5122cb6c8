// Test-run setup: one real Postgres for every test file (PGlite on loopback, or DATABASE_URL when given), migrated once.
import type { TestProject } from 'vitest/node'
import { migrateDatabase } from '../../scripts/db/migrate'
import { startEmbeddedPostgres } from '../../scripts/db/embedded-postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
  }
}

/** Starts (or adopts) the database, applies migrations, and hands its URL to the tests and the Worker bindings. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DATABASE_URL
  const embedded = given ? undefined : await startEmbeddedPostgres()
  const url = given ?? embedded?.url
  if (!url) throw new Error('no database for the tests')
  await migrateDatabase({ url, driver: process.env.DATABASE_DRIVER ?? 'auto' })
  project.provide('databaseUrl', url)
  return async () => {
    await embedded?.stop()
  }
}
