// First start without a model: files come from a local server speaking the hub protocol, or the service reports why not.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODEL_REPO } from '../../containers/clip/src/config'
import { requiredFiles } from '../../containers/clip/src/hub'
import { startServer } from '../../containers/clip/src/server'
import { makeTinyModel, tempDir, testConfig, withToken } from './helpers'
import { startHubServer } from './hub-server'
import type { HubServer } from './hub-server'

let source: { dir: string; remove: () => void }
let hub: HubServer

beforeAll(async () => {
  source = makeTinyModel()
  hub = await startHubServer(MODEL_REPO, source.dir)
})

afterAll(async () => {
  await hub.close()
  source.remove()
})

describe('model download', () => {
  it('fetches the missing files of the chosen dtype from the hub and becomes ready', async () => {
    const target = tempDir('download')
    const server = await startServer(
      testConfig({ modelDir: target.path, dtype: 'q8', allowDownload: true, hubUrl: hub.url }),
    )
    try {
      expect((await server.modelLoaded).status).toBe('ready')
      for (const file of requiredFiles('q8')) {
        expect(readFileSync(join(target.path, file))).toEqual(readFileSync(join(source.dir, file)))
      }
      expect(existsSync(join(target.path, 'onnx/vision_model.onnx'))).toBe(false)
      expect(hub.requests).toContain(`/${MODEL_REPO}/resolve/main/onnx/vision_model_quantized.onnx`)
      const ready = await fetch(`${server.url}/readyz`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toEqual({ status: 'ready', model: 'vitrina/clip-random-tiny', dtype: 'q8' })
      const embedded = await fetch(
        `${server.url}/embed/text`,
        withToken({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ texts: ['a red shoe'] }) }),
      )
      expect(embedded.status).toBe(200)
    } finally {
      await server.close()
      target.remove()
    }
  })

  it('stays up with model_unavailable when the hub does not have the files', async () => {
    const target = tempDir('download-missing')
    const server = await startServer(
      testConfig({ modelDir: target.path, allowDownload: true, hubUrl: `${hub.url}/nowhere` }),
    )
    try {
      expect((await server.modelLoaded).status).toBe('unavailable')
      const ready = await fetch(`${server.url}/readyz`)
      expect(ready.status).toBe(503)
      const body = (await ready.json()) as { status: string; reason: string }
      expect(body.status).toBe('model_unavailable')
      expect(body.reason).toMatch(/HTTP 404/)
      expect(existsSync(join(target.path, 'config.json.partial'))).toBe(false)
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    } finally {
      await server.close()
      target.remove()
    }
  })
})
