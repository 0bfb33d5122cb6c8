// Runs the embedded Postgres as its own process for `npm start`: prints one JSON line {"ready": url} and stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util'
import { startEmbeddedPostgres } from './embedded-postgres'

const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string', default: '54320' } } })
const postgres = await startEmbeddedPostgres({ ...(values.data ? { dataDir: values.data } : {}), port: Number(values.port) })
console.log(JSON.stringify({ ready: postgres.url }))

let stopping = false
async function shutdown(): Promise<void> {
  if (stopping) return
  stopping = true
  await postgres.stop()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown())
process.on('SIGTERM', () => void shutdown())
