// The CLIP service's allocator and V8 settings, read from its image's ENV so `npm start` and bench:clip run it as production does.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DOCKERFILE = fileURLToPath(new URL('../../containers/clip/Dockerfile', import.meta.url))
const RUNTIME_SETTING = /^(MALLOC_\w+|NODE_OPTIONS)$/

/** The `MALLOC_*` and `NODE_OPTIONS` values of containers/clip/Dockerfile's ENV instructions. */
export function clipRuntimeEnv(): Record<string, string> {
  const instructions = readFileSync(DOCKERFILE, 'utf8').replace(/\\\n/g, ' ').split('\n')
  const env: Record<string, string> = {}
  for (const line of instructions.filter((l) => l.startsWith('ENV '))) {
    for (const [, key = '', value = ''] of line.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      if (RUNTIME_SETTING.test(key)) env[key] = value.replace(/^"|"$/g, '')
    }
  }
  if (!env.MALLOC_ARENA_MAX) throw new Error(`no allocator settings found in the ENV of ${DOCKERFILE}`)
  return env
}
