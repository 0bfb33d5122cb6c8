// Migrations are forward-only: once committed, a migration's SQL never changes. `migrations/checksums.json` records
// each migration's SHA-256 when it is generated; a test fails when a recorded migration's file no longer matches.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MIGRATIONS_FOLDER } from './migrate'

/** Where the recorded checksums live, beside drizzle-kit's journal. */
export const CHECKSUMS_FILE = join(MIGRATIONS_FOLDER, 'checksums.json')

/** The migrations drizzle's journal lists, in order, with the SHA-256 of each SQL file as it is now. */
export function currentChecksums(): { tag: string; sha256: string }[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }
  return journal.entries.map(({ tag }) => ({ tag, sha256: createHash('sha256').update(readFileSync(join(MIGRATIONS_FOLDER, `${tag}.sql`))).digest('hex') }))
}

/** The checksums recorded so far (tag → SHA-256). */
export function recordedChecksums(): Record<string, string> {
  return existsSync(CHECKSUMS_FILE) ? (JSON.parse(readFileSync(CHECKSUMS_FILE, 'utf8')) as Record<string, string>) : {}
}

/** Records the checksum of every migration not recorded yet; never rewrites a recorded one. */
export function recordNewChecksums(): string[] {
  const recorded = recordedChecksums()
  const added = currentChecksums().filter(({ tag }) => !(tag in recorded))
  for (const { tag, sha256 } of added) recorded[tag] = sha256
  writeFileSync(CHECKSUMS_FILE, `${JSON.stringify(recorded, null, 2)}\n`)
  return added.map(({ tag }) => tag)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const added = recordNewChecksums()
  console.log(added.length > 0 ? `recorded ${added.join(', ')}` : 'every migration was already recorded')
}
