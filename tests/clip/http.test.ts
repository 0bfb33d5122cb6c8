// The HTTP service end to end (real server on a free port, tiny model): embeddings, limits, errors, 429, 503, metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../../containers/clip/src/server'
import type { RunningServer } from '../../containers/clip/src/server'
import { makeTinyModel, maxDifference, norm, paintedImage, solidImage, tempDir, testConfig, withToken } from './helpers'

const MAX_IMAGE_BYTES = 200_000
const MAX_IMAGES = 4

interface Embeddings {
  embeddings: number[][]
  model: string
  dims: number
}

interface ErrorShape {
  error: { code: string; message: string; details?: unknown }
}

let model: { dir: string; remove: () => void }
let server: RunningServer

beforeAll(async () => {
  model = makeTinyModel()
  server = await startServer(
    testConfig({ modelDir: model.dir, maxImageBytes: MAX_IMAGE_BYTES, maxImagesPerRequest: MAX_IMAGES }),
  )
  expect((await server.modelLoaded).status).toBe('ready')
})

afterAll(async () => {
  await server.close()
  model.remove()
})

function postImage(bytes: Uint8Array, contentType = 'image/png', base = server.url): Promise<Response> {
  return fetch(`${base}/embed/image`, withToken({ method: 'POST', headers: { 'Content-Type': contentType }, body: bytes }))
}

function postForm(files: { bytes: Uint8Array; name: string; type: string }[]): Promise<Response> {
  const form = new FormData()
  files.forEach((f, i) => form.append(`file${i}`, new Blob([f.bytes], { type: f.type }), f.name))
  return fetch(`${server.url}/embed/image`, withToken({ method: 'POST', body: form }))
}

function postTexts(body: unknown, base = server.url): Promise<Response> {
  return fetch(
    `${base}/embed/text`,
    withToken({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  )
}

async function expectError(response: Response, status: number, code: string): Promise<ErrorShape> {
  expect(response.status).toBe(status)
  const body = (await response.json()) as ErrorShape
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/)
  return body
}

describe('embedding routes', () => {
  it('embeds one raw image into a unit 512-d vector', async () => {
    const response = await postImage(await solidImage(120, 80, [250, 120, 10]))
    expect(response.status).toBe(200)
    const body = (await response.json()) as Embeddings
    expect(body.model).toBe('vitrina/clip-random-tiny')
    expect(body.dims).toBe(512)
    expect(body.embeddings).toHaveLength(1)
    expect(body.embeddings[0]).toHaveLength(512)
    expect(norm(body.embeddings[0]!)).toBeCloseTo(1, 5)
  })

  it('embeds several multipart files, each as it would be alone', async () => {
    const images = await Promise.all([
      solidImage(90, 90, [1, 2, 3]),
      paintedImage(300, 200, (x, y) => [x % 256, y, 128], 'jpeg'),
      paintedImage(64, 128, (x) => [x * 4, 0, 255], 'webp'),
    ])
    const types = ['image/png', 'image/jpeg', 'image/webp']
    const response = await postForm(images.map((bytes, i) => ({ bytes, name: `p${i}`, type: types[i]! })))
    expect(response.status).toBe(200)
    const batch = (await response.json()) as Embeddings
    expect(batch.embeddings).toHaveLength(3)
    const singles = await Promise.all(
      images.map(async (bytes, i) => (await (await postImage(bytes, types[i])).json()) as Embeddings),
    )
    singles.forEach((single, i) =>
      expect(maxDifference(single.embeddings[0]!, batch.embeddings[i]!)).toBeLessThan(1e-5),
    )
  })

  it('embeds texts', async () => {
    const response = await postTexts({ texts: ['a red shoe', 'a wooden chair'] })
    expect(response.status).toBe(200)
    const body = (await response.json()) as Embeddings
    expect(body.embeddings).toHaveLength(2)
    expect(body.dims).toBe(512)
    body.embeddings.forEach((v) => expect(norm(v)).toBeCloseTo(1, 5))
  })
})

describe('request errors', () => {
  it('answers 400 invalid_request for malformed JSON and for schema violations with zod issues', async () => {
    await expectError(await postTexts('{"texts": ['), 400, 'invalid_request')
    const tooMany = Array.from({ length: 65 }, () => 'x')
    for (const body of [
      {},
      { texts: [] },
      { texts: [1] },
      { texts: [''] },
      { texts: tooMany },
      { texts: ['x'.repeat(2001)] },
    ]) {
      const error = await expectError(await postTexts(body), 400, 'invalid_request')
      expect(Array.isArray(error.error.details)).toBe(true)
    }
  })

  it('answers 422 for a corrupt image and 400 for an empty one', async () => {
    const png = await solidImage(64, 64, [5, 5, 5])
    await expectError(await postImage(png.subarray(0, 60)), 422, 'invalid_image')
    await expectError(await postImage(new Uint8Array()), 400, 'invalid_request')
  })

  it('answers 413 for an image over the byte limit and for an oversized body', async () => {
    const big = await paintedImage(400, 400, (x, y) => [(x * 7919 + y * 104729) % 256, (x * y) % 256, (x ^ y) % 256])
    expect(big.length).toBeGreaterThan(MAX_IMAGE_BYTES)
    await expectError(await postImage(big), 413, 'payload_too_large')
    await expectError(await postImage(new Uint8Array(MAX_IMAGE_BYTES * (MAX_IMAGES + 1))), 413, 'payload_too_large')
  })

  it('answers 415 for SVG, a zip named .jpg, and non-image content types', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    await expectError(await postImage(svg, 'image/svg+xml'), 415, 'unsupported_media_type')
    const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6)
    await expectError(
      await postForm([{ bytes: zip, name: 'photo.jpg', type: 'image/jpeg' }]),
      415,
      'unsupported_media_type',
    )
    await expectError(await postImage(await solidImage(8, 8, [1, 1, 1]), 'text/plain'), 415, 'unsupported_media_type')
  })

  it('answers 400 for multipart without files or with too many', async () => {
    const form = new FormData()
    form.append('note', 'no files here')
    await expectError(await fetch(`${server.url}/embed/image`, withToken({ method: 'POST', body: form })), 400, 'invalid_request')
    const png = await solidImage(8, 8, [1, 1, 1])
    const files = Array.from({ length: MAX_IMAGES + 1 }, (_, i) => ({
      bytes: png,
      name: `${i}.png`,
      type: 'image/png',
    }))
    await expectError(await postForm(files), 400, 'invalid_request')
  })

  it('answers 404 in the error shape for unknown routes', async () => {
    await expectError(await fetch(`${server.url}/nope`, withToken()), 404, 'not_found')
  })
})

describe('operations', () => {
  it('reports liveness, readiness and metrics', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready', model: 'vitrina/clip-random-tiny', dtype: 'fp32' })
    const metrics = await (await fetch(`${server.url}/metrics`, withToken())).text()
    for (const name of [
      'clip_http_request_duration_seconds_bucket',
      'clip_inference_duration_seconds_bucket',
      'clip_batch_size_bucket',
    ]) {
      expect(metrics).toContain(name)
    }
    expect(metrics).toMatch(/clip_queue_depth\{kind="(image|text)"\} 0/)
    expect(metrics).toContain('clip_model_info{model="vitrina/clip-random-tiny",dtype="fp32",dims="512"} 1')
    expect(metrics).toContain('clip_model_state{state="ready"} 1')
    expect(metrics).toContain('clip_model_state{state="loading"} 0')
    expect(metrics).toContain('clip_process_resident_memory_bytes')
  })

  it('answers 429 with Retry-After when the queue is full, and still serves the queued work', async () => {
    const busy = await startServer(testConfig({ modelDir: model.dir, maxQueue: 2, maxBatch: 8, maxWaitMs: 400 }))
    try {
      await busy.modelLoaded
      const queued = postTexts({ texts: ['first', 'second'] }, busy.url)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const refused = await postTexts({ texts: ['third'] }, busy.url)
      await expectError(refused, 429, 'queue_full')
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      const image = await postImage(await solidImage(8, 8, [1, 1, 1]), 'image/png', busy.url)
      expect(image.status).toBe(200)
      expect((await queued).status).toBe(200)
      expect(await (await fetch(`${busy.url}/metrics`, withToken())).text()).toContain('clip_queue_rejections_total{kind="text"} 1')
    } finally {
      await busy.close()
    }
  })

  it('starts without a model: readyz 503 model_unavailable, embeds 503, health 200', async () => {
    const empty = tempDir('no-model')
    const bare = await startServer(testConfig({ modelDir: empty.path, allowDownload: false }))
    try {
      expect((await bare.modelLoaded).status).toBe('unavailable')
      const ready = await fetch(`${bare.url}/readyz`)
      expect(ready.status).toBe(503)
      const body = (await ready.json()) as { status: string; reason: string }
      expect(body.status).toBe('model_unavailable')
      expect(body.reason).toMatch(/downloads are disabled/)
      await expectError(await postTexts({ texts: ['a shoe'] }, bare.url), 503, 'model_unavailable')
      await expectError(
        await postImage(await solidImage(8, 8, [1, 1, 1]), 'image/png', bare.url),
        503,
        'model_unavailable',
      )
      expect((await fetch(`${bare.url}/healthz`)).status).toBe(200)
    } finally {
      await bare.close()
      empty.remove()
    }
  })
})
