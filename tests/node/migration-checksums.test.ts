// Forward-only migrations: a committed migration's SQL never changes (a changed one would never run on a database that
// already applied it), and every migration in the journal has its checksum recorded.
import { describe, expect, it } from 'vitest'
import { currentChecksums, recordedChecksums } from '../../scripts/db/migration-checksums'

describe('migration checksums', () => {
  it('finds every committed migration unchanged and every migration recorded', () => {
    const recorded = recordedChecksums()
    const current = currentChecksums()
    const changed = current.filter(({ tag, sha256 }) => tag in recorded && recorded[tag] !== sha256).map(({ tag }) => tag)
    const unrecorded = current.filter(({ tag }) => !(tag in recorded)).map(({ tag }) => tag)
    const vanished = Object.keys(recorded).filter((tag) => !current.some((migration) => migration.tag === tag))
    expect(changed, 'these committed migrations changed: add a new migration instead of editing one').toEqual([])
    expect(unrecorded, 'record new migrations with `npm run db:generate` (or `tsx scripts/db/migration-checksums.ts`)').toEqual([])
    expect(vanished, 'these recorded migrations were removed').toEqual([])
  })
})
