// Builds the admin UI (web/src) into web/dist with Preact's JSX runtime; web/public is copied as is.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 200 },
  server: { proxy: { '/v1': { target: 'http://127.0.0.1:8787', ws: true }, '/openapi.json': 'http://127.0.0.1:8787', '/docs': 'http://127.0.0.1:8787' } },
})
