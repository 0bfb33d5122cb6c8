// The media bridge the CLIP service uses: token checks, the keys it serves, reading originals, writing thumbnails,
// and its absence from the public OpenAPI document.
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { pngImage } from '../helpers/image-fixtures'
import { BASE } from './helpers'

interface ErrorBody {
  error: { code: string; message: string }
}

const WEBP_BYTES = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])

function bridge(key: string, init: { method?: string; token?: string | null; body?: Uint8Array; contentType?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {}
  const token = init.token === undefined ? env.INTERNAL_TOKEN : init.token
  if (token !== null) headers['x-internal-token'] = token
  if (init.contentType) headers['content-type'] = init.contentType
  return SELF.fetch(`${BASE}/internal/media/${key}`, { method: init.method ?? 'GET', headers, ...(init.body ? { body: init.body } : {}) })
}

async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status)
  expect(((await res.json()) as ErrorBody).error.code).toBe(code)
}

function imageKeys() {
  const prefix = `t/${crypto.randomUUID()}/images/${crypto.randomUUID()}/`
  return { original: `${prefix}original`, small: `${prefix}thumb-300.webp`, large: `${prefix}w1200.webp` }
}

describe('media bridge', () => {
  it('serves an original to the right token only', async () => {
    const keys = imageKeys()
    const png = pngImage(3, 2)
    await env.MEDIA.put(keys.original, png, { httpMetadata: { contentType: 'image/png' } })

    const res = await bridge(keys.original)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png)

    await expectError(await bridge(keys.original, { token: null }), 401, 'unauthorized')
    await expectError(await bridge(keys.original, { token: 'wrong-token' }), 401, 'unauthorized')
    await expectError(await bridge(keys.original, { token: `${env.INTERNAL_TOKEN}x` }), 401, 'unauthorized')
    await expectError(await bridge(keys.small, { method: 'PUT', token: 'wrong-token', body: WEBP_BYTES, contentType: 'image/webp' }), 401, 'unauthorized')
    expect(await env.MEDIA.head(keys.small)).toBeNull()
  })

  it('answers 404 for a missing object', async () => {
    await expectError(await bridge(imageKeys().large), 404, 'not_found')
  })

  it('refuses keys outside the image layout', async () => {
    const tenant = crypto.randomUUID()
    await env.MEDIA.put(`t/${tenant}/secret.txt`, 'not an image')
    for (const key of [`t/${tenant}/secret.txt`, `t/${tenant}/images/not-a-uuid/original`, `t/${tenant}/images/${crypto.randomUUID()}/original.png`, 'original']) {
      await expectError(await bridge(key), 400, 'invalid_request')
    }
  })

  it('writes thumbnails as WebP and nothing else', async () => {
    const keys = imageKeys()
    const put = await bridge(keys.small, { method: 'PUT', body: WEBP_BYTES, contentType: 'image/webp' })
    expect(put.status).toBe(204)
    const stored = await env.MEDIA.get(keys.small)
    if (!stored) throw new Error('the thumbnail was not stored')
    expect(stored.httpMetadata?.contentType).toBe('image/webp')
    expect(new Uint8Array(await stored.arrayBuffer())).toEqual(WEBP_BYTES)
    expect((await bridge(keys.large, { method: 'PUT', body: WEBP_BYTES, contentType: 'image/webp' })).status).toBe(204)

    await expectError(await bridge(keys.original, { method: 'PUT', body: WEBP_BYTES, contentType: 'image/webp' }), 400, 'invalid_request')
    expect(await env.MEDIA.head(keys.original)).toBeNull()
    await expectError(await bridge(imageKeys().small, { method: 'PUT', body: pngImage(2, 2), contentType: 'image/png' }), 415, 'unsupported_media_type')
    await expectError(await bridge(imageKeys().small, { method: 'PUT', body: new Uint8Array(), contentType: 'image/webp' }), 400, 'invalid_request')
  })

  it('is not part of the public API document', async () => {
    const res = await SELF.fetch(`${BASE}/openapi.json`)
    const document = (await res.json()) as { paths: Record<string, unknown> }
    expect(Object.keys(document.paths).length).toBeGreaterThan(0)
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/internal'))).toEqual([])
  })
})
