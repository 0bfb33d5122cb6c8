// Starts the CLIP HTTP service on @hono/node-server and loads the model in the background.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from './app'
import type { ClipConfig } from './config'
import { Embedder } from './embedder'
import type { ModelState } from './embedder'
import { createIndexer, type Indexer } from './index-job/indexer'
import { createMetrics } from './metrics'

/** Idle keep-alive connections outlive a slow client's think time, so a reused socket is not closed mid-request. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000

export interface RunningServer {
  url: string
  port: number
  embedder: Embedder
  /** The index job's side, when indexing is configured. */
  indexer: Indexer | undefined
  /** Settles when the model is ready or known to be unavailable. */
  modelLoaded: Promise<ModelState>
  close: () => Promise<void>
}

/** Listens on config.host:config.port (0 picks a free port), then starts loading the model. */
export async function startServer(config: ClipConfig): Promise<RunningServer> {
  const metrics = createMetrics()
  const embedder = new Embedder(config, metrics)
  const indexer = config.index ? createIndexer(config.index, embedder, metrics) : undefined
  const app = createApp(embedder, metrics, config, indexer)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(instance))
    instance.once('error', reject)
  })
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  const { port } = server.address() as AddressInfo
  const modelLoaded = embedder.start()
  void modelLoaded
    .then((state) => (state.status === 'ready' && config.index?.requeueOnStart ? indexer?.requeueWaiting() : undefined))
    .catch((error: unknown) => console.error(JSON.stringify({ level: 'error', msg: 'requeueing images that waited for the model failed', error: String(error) })))
  return {
    url: `http://${config.host}:${port}`,
    port,
    embedder,
    indexer,
    modelLoaded,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await indexer?.close()
      await modelLoaded
      await embedder.close()
    },
  }
}
