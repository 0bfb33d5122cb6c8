// Issue 13, finding 12: the CLIP service answered /index, /embed/* and /metrics without any credential (and /index read
// media for any tenant id given). Every route but the /healthz and /readyz probes now requires the internal token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../containers/clip/src/server'
import { makeTinyModel, solidImage, TEST_INTERNAL_TOKEN, testConfig, withToken } from './helpers'

let model: { dir: string; remove: () => void }
let server: RunningServer
let unconfigured: RunningServer

const routes = async (): Promise<{ path: string; init: RequestInit }[]> => [
  { path: '/embed/text', init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ texts: ['a shoe'] }) } },
  { path: '/embed/image', init: { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: await solidImage(8, 8, [9, 9, 9]) } },
  { path: '/index', init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tenantId: crypto.randomUUID(), imageId: crypto.randomUUID() }) } },
  { path: '/metrics', init: {} },
  { path: '/nope', init: {} },
]

beforeAll(async () => {
  model = makeTinyModel()
  server = await startServer(testConfig({ modelDir: model.dir }))
  unconfigured = await startServer(testConfig({ modelDir: model.dir, internalToken: undefined }))
  expect((await server.modelLoaded).status).toBe('ready')
  expect((await unconfigured.modelLoaded).status).toBe('ready')
})

afterAll(async () => {
  await server.close()
  await unconfigured.close()
  model.remove()
})

describe('CLIP service credentials', () => {
  it('answers 401 without the token, or with a wrong one, on every route but the probes', async () => {
    for (const { path, init } of await routes()) {
      for (const token of [undefined, 'wrong-token-of-enough-length', `${TEST_INTERNAL_TOKEN}x`, '']) {
        const headers = new Headers(init.headers)
        if (token !== undefined) headers.set('X-Internal-Token', token)
        const res = await fetch(`${server.url}${path}`, { ...init, headers })
        const body = (await res.json()) as { error: { code: string } }
        expect({ path, token, status: res.status, code: body.error.code }).toEqual({ path, token, status: 401, code: 'unauthorized' })
      }
    }
  })

  it('serves the same routes with the token', async () => {
    expect((await fetch(`${server.url}/embed/text`, withToken({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ texts: ['a shoe'] }) }))).status).toBe(200)
    expect((await fetch(`${server.url}/metrics`, withToken())).status).toBe(200)
    expect((await fetch(`${server.url}/nope`, withToken())).status).toBe(404)
  })

  it('keeps /healthz and /readyz open', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
  })

  it('refuses everything but the probes when no INTERNAL_TOKEN is configured', async () => {
    for (const { path, init } of await routes()) {
      const res = await fetch(`${unconfigured.url}${path}`, withToken(init))
      expect({ path, status: res.status }).toEqual({ path, status: 401 })
    }
    expect((await fetch(`${unconfigured.url}/healthz`)).status).toBe(200)
  })
})
