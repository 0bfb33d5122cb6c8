// Builds the static assets the Worker serves: web/public as is, plus Swagger UI's files for /docs (staged, then swapped in).
import { cp, mkdir, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'web/dist')
const staging = `${out}.${process.pid}`
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

await mkdir(staging, { recursive: true })
await cp(join(root, 'web/public'), staging, { recursive: true })
for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
  await cp(join(swaggerDir, file), join(staging, 'docs-assets', file))
}
await rm(out, { recursive: true, force: true })
await rename(staging, out)
console.log(`web assets written to ${out}`)
