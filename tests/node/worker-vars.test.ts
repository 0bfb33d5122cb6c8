// `npm start` passes every Worker var of the README's configuration table through from its environment to wrangler dev.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { WORKER_VARS, workerVarArgs } from '../../scripts/dev/worker-vars'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Names of the README configuration table's rows whose kind is `var`. */
async function readmeVars(): Promise<string[]> {
  const readme = await readFile(`${root}README.md`, 'utf8')
  const section = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? ''
  return section
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .filter((cells) => cells[2] === 'var')
    .map((cells) => (cells[1] ?? '').replaceAll('`', ''))
}

/** Keys of wrangler.toml's top-level `[vars]`. */
async function wranglerVars(): Promise<string[]> {
  const toml = await readFile(`${root}wrangler.toml`, 'utf8')
  const block = toml.split('\n[vars]\n')[1]?.split('\n[')[0] ?? ''
  return [...block.matchAll(/^([A-Z][A-Z0-9_]*)\s*=/gm)].map((m) => m[1] ?? '')
}

describe('Worker vars under npm start', () => {
  it('covers every var the README and wrangler.toml list', async () => {
    expect([...WORKER_VARS].sort()).toEqual((await readmeVars()).sort())
    expect([...WORKER_VARS].sort()).toEqual((await wranglerVars()).sort())
  })

  it('passes the environment through, computed values first, and trusts no client-IP header locally by default', () => {
    const args = workerVarArgs({ PUBLIC_URL: 'https://shop.example', REGISTRATIONS_PER_IP_PER_HOUR: '5', CLIP_URL: 'http://ignored' }, { CLIP_URL: 'http://127.0.0.1:1' })
    expect(args).toEqual([
      '--var',
      'ENVIRONMENT:development',
      '--var',
      'CLIP_URL:http://127.0.0.1:1',
      '--var',
      'PUBLIC_URL:https://shop.example',
      '--var',
      'TRUST_CLIENT_IP_HEADER:',
      '--var',
      'REGISTRATIONS_PER_IP_PER_HOUR:5',
    ])
    expect(workerVarArgs({ TRUST_CLIENT_IP_HEADER: 'cf-connecting-ip', ENVIRONMENT: 'staging' })).toEqual(['--var', 'ENVIRONMENT:staging', '--var', 'TRUST_CLIENT_IP_HEADER:cf-connecting-ip'])
  })

  it('deploys as production, so a deployment never lets provider URLs reach loopback', async () => {
    const toml = await readFile(`${root}wrangler.toml`, 'utf8')
    expect(toml.split('\n[vars]\n')[1]?.match(/^ENVIRONMENT\s*=\s*"([^"]*)"/m)?.[1]).toBe('production')
  })
})
