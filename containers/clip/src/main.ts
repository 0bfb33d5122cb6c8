// Process entry point: `npm run clip` / `npm start -w containers/clip`.
import { loadConfig } from './config'
import { startServer } from './server'

const config = loadConfig()
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
