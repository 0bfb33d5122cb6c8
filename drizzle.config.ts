// drizzle-kit configuration: migrations/ is generated from workers/db/schema and is forward-only.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './workers/db/schema/index.ts',
  out: './migrations',
})
