// Process entry point: `npm run clip` / `npm start -w containers/clip`.
import { loadConfig } from './config'
import { startServer } from './server'

const config = loadConfig()
if (!config.internalToken) console.error('INTERNAL_TOKEN is not set: every route but /healthz and /readyz answers 401')
const server = await startServer(config)
console.error(`clip service listening on ${server.url} (model ${config.modelDir}, ${config.dtype})`)
void server.modelLoaded.then((state) => {
  if (state.status === 'ready') console.error(`model ready: ${state.model.info.name} (${state.model.info.dims} dims)`)
  else console.error(`model unavailable: ${state.status === 'unavailable' ? state.reason : 'loading'}`)
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
