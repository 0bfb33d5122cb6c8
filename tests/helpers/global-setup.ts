// Test-run setup: one real Postgres for every test file (PGlite on loopback, or DATABASE_URL when given), migrated once,
// one real CLIP service on a free port with the generated tiny model (no downloads), and fake AI providers.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../../containers/clip/src/config'
import { startServer } from '../../containers/clip/src/server'
import { migrateDatabase } from '../../scripts/db/migrate'
import { startEmbeddedPostgres } from '../../scripts/db/embedded-postgres'
import { generateModel } from '../../scripts/model/generate'
import { TINY } from '../../scripts/model/sizes'
import { TEST_INTERNAL_TOKEN } from './internal-token'
import { startFakeAi } from './fake-ai'
import { startFakeReceiver } from './fake-receiver'
import { startFakeStripe } from './fake-stripe'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    clipUrl: string
    fakeAiUrl: string
    webhookReceiverUrl: string
    fakeStripeUrl: string
  }
}

/** Generates the tiny model into a temporary folder and serves it; fails the run when the model does not load. */
async function startClipService(): Promise<{ url: string; stop: () => Promise<void> }> {
  const modelDir = await mkdtemp(join(tmpdir(), 'vitrina-test-clip-'))
  generateModel({ size: TINY, out: modelDir })
  const server = await startServer(loadConfig({ CLIP_MODEL_DIR: modelDir, CLIP_PORT: '0', CLIP_ALLOW_DOWNLOAD: 'false', CLIP_THREADS: '1', INTERNAL_TOKEN: TEST_INTERNAL_TOKEN }))
  const state = await server.modelLoaded
  if (state.status !== 'ready') throw new Error(`the test CLIP service has no model: ${JSON.stringify(state)}`)
  return {
    url: server.url,
    stop: async () => {
      await server.close()
      await rm(modelDir, { recursive: true, force: true })
    },
  }
}

/** Starts (or adopts) the database, applies migrations, starts the CLIP service, and hands both URLs to the tests and the Worker bindings. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DATABASE_URL || undefined
  const embedded = given ? undefined : await startEmbeddedPostgres()
  const url = given ?? embedded?.url
  if (!url) throw new Error('no database for the tests')
  await migrateDatabase({ url, driver: process.env.DATABASE_DRIVER ?? 'auto' })
  const clip = await startClipService()
  const fakeAi = await startFakeAi()
  const receiver = await startFakeReceiver()
  const stripe = await startFakeStripe()
  project.provide('databaseUrl', url)
  project.provide('clipUrl', clip.url)
  project.provide('fakeAiUrl', fakeAi.url)
  project.provide('webhookReceiverUrl', receiver.url)
  project.provide('fakeStripeUrl', stripe.url)
  return async () => {
    await clip.stop()
    await fakeAi.stop()
    await receiver.stop()
    await stripe.stop()
    await embedded?.stop()
  }
}
