// The seeds' stock anchor for `npm run bench:inventory`: a throwaway database on the server BENCH_DATABASE_URL names, or
// a real PostgreSQL server (Debian's, installed if missing, fsync on) in a temp folder on a free port, or the embedded
// PGlite when no server can be had.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../db/embedded-postgres'
import { freePort } from '../dev/processes'
import { benchDatabase } from './bench-database'

/** A Postgres the benchmark can load: its URL, what it is, and how to stop it. */
export interface AnchorPostgres {
  url: string
  kind: string
  stop(): Promise<void>
}

const POSTGRES_LIB = '/usr/lib/postgresql'

function serverBin(): string | undefined {
  if (!existsSync(POSTGRES_LIB)) return undefined
  const version = readdirSync(POSTGRES_LIB).filter((v) => existsSync(join(POSTGRES_LIB, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a))[0]
  return version ? join(POSTGRES_LIB, version, 'bin') : undefined
}

function installedServerBin(): string | undefined {
  const found = serverBin()
  if (found) return found
  try {
    console.log('installing Debian postgresql for the anchor (apt-get install -y postgresql)')
    execFileSync('apt-get', ['install', '-y', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  } catch {
    return undefined
  }
  return serverBin()
}

/** Uses BENCH_DATABASE_URL's server, or starts a PostgreSQL server as the `postgres` user (fsync on, the default), or falls back to PGlite, saying so. */
export async function startAnchorPostgres(): Promise<AnchorPostgres> {
  if (process.env.BENCH_DATABASE_URL) {
    const given = await benchDatabase('vitrina_bench_anchor')
    return { url: given.url, kind: given.label, stop: given.stop }
  }
  const bin = installedServerBin()
  if (!bin) {
    console.log('no PostgreSQL server could be installed: the anchor falls back to the embedded PGlite (single session, not comparable to a server)')
    const embedded = await startEmbeddedPostgres()
    return { url: embedded.url, kind: 'PGlite (fallback)', stop: embedded.stop }
  }
  const dir = await mkdtemp(join(tmpdir(), 'vitrina-bench-pg-'))
  await chmod(dir, 0o777)
  const data = join(dir, 'data')
  const port = await freePort()
  const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' })
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200`, 'start'])
  const version = execFileSync(join(bin, 'postgres'), ['--version']).toString().trim()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kind: `${version} server, fsync on`,
    stop: async () => {
      asPostgres('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop'])
      await rm(dir, { recursive: true, force: true })
    },
  }
}
