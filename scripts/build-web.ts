// Builds the static assets the Worker serves: the admin UI (Vite, web/src with web/public copied as is), the chat widget, Swagger UI's
// files for /docs and the `_headers` file (security headers), written to a staging folder and then swapped in, so a
// running server never sees half a build.
import { cp, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { staticAssetHeadersFile } from '../workers/lib/security-headers'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'web/dist')
const staging = `${out}.${process.pid}`
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } })
// The storefront chat widget: one self-contained script at /widget.js.
await build({
  configFile: false,
  logLevel: 'warn',
  build: { outDir: staging, emptyOutDir: false, target: 'es2022', lib: { entry: join(root, 'web/widget/widget.ts'), formats: ['iife'], name: 'VitrinaChat', fileName: () => 'widget.js' } },
})
for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
  await cp(join(swaggerDir, file), join(staging, 'docs-assets', file))
}
// Workers static assets answer without running the Worker, so the security headers come from this file.
await writeFile(join(staging, '_headers'), staticAssetHeadersFile())
await rm(out, { recursive: true, force: true })
await rename(staging, out)
console.log(`web assets written to ${out}`)
