// Product images through the API: multipart uploads checked by content, size and dimensions; list, read, update,
// delete with their R2 objects; re-indexing; and serving the bytes with caching and tenant checks.
import { env, SELF } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { avifHeader, jpegImage, pngImage, SVG_BYTES, WEBP_LOSSY_1X1, ZIP_BYTES } from '../helpers/image-fixtures'
import { installFakeInternet } from '../helpers/fake-network'
import { api, BASE, createKey, signUp, unique, type Account } from './helpers'

interface Image {
  id: string
  productId: string
  variantId: string | null
  status: string
  failureReason: string | null
  url: string
  thumbnails: { small?: string; large?: string }
  contentType: string
  bytes: number
  width: number
  height: number
  sha256: string
  position: number
  alt: string | null
  isPrimary: boolean
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

async function newProduct(owner: Account, status = 'draft'): Promise<{ id: string; variants: { id: string }[] }> {
  const { res, body } = await api<{ id: string; variants: { id: string }[] }>('/v1/products', {
    token: owner.accessToken,
    body: { name: unique('Watch'), status, variants: [{ sku: unique('SKU'), price: 100, currency: 'USD' }] },
  })
  expect(res.status).toBe(201)
  return body
}

async function upload<T = { data: Image[] }>(owner: Account, productId: string, files: { bytes: Uint8Array; name: string }[], alt?: string) {
  const form = new FormData()
  for (const file of files) form.append('file', new File([file.bytes], file.name, { type: 'image/jpeg' }))
  if (alt) form.append('alt', alt)
  const res = await SELF.fetch(`${BASE}/v1/products/${productId}/images`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: form })
  return { res, body: (await res.json()) as T }
}

/** The CLIP service's indexing endpoint (CLIP_URL in the test bindings), recording the jobs it is sent. */
let clip: ReturnType<typeof installFakeInternet>
beforeEach(() => {
  clip = installFakeInternet('https://dns.invalid/', { dns: {}, sites: { [new URL('/index', env.CLIP_URL).href]: () => Response.json({ queued: true }, { status: 202 }) } })
})
afterEach(() => clip.restore())
const indexJobs = () => clip.seen.filter((s) => s.url.endsWith('/index')).map((s) => JSON.parse(s.body) as { tenantId: string; imageId: string })

const sha256 = async (bytes: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('')

describe('uploading images', () => {
  it('stores each accepted format with its hash and dimensions, pending, appended, the first one primary, and asks for indexing', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    const png = pngImage(40, 30)
    const first = await upload(owner, product.id, [{ bytes: png, name: 'front.png' }], 'Front view')
    expect(first.res.status).toBe(201)
    const [stored] = first.body.data
    expect(stored).toMatchObject({ status: 'pending', contentType: 'image/png', width: 40, height: 30, bytes: png.length, position: 0, isPrimary: true, alt: 'Front view', thumbnails: {} })
    expect(stored?.sha256).toBe(await sha256(png))
    expect(stored?.url).toBe(`/v1/media/t/${owner.tenant.id}/images/${stored?.id}/original`)

    const object = await env.MEDIA.get(`t/${owner.tenant.id}/images/${stored?.id}/original`)
    expect(object?.httpMetadata?.contentType).toBe('image/png')
    expect(object?.customMetadata?.sha256).toBe(stored?.sha256)
    expect(new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(png)

    const more = await upload(owner, product.id, [
      { bytes: jpegImage(64, 48), name: 'side.jpg' },
      { bytes: WEBP_LOSSY_1X1, name: 'dot.webp' },
      { bytes: avifHeader(800, 600), name: 'box.avif' },
    ])
    expect(more.res.status).toBe(201)
    expect(more.body.data.map((i) => [i.contentType, i.width, i.height, i.position, i.isPrimary])).toEqual([
      ['image/jpeg', 64, 48, 1, false],
      ['image/webp', 1, 1, 2, false],
      ['image/avif', 800, 600, 3, false],
    ])
    await expect.poll(() => indexJobs().length).toBe(4)
    expect(indexJobs().map((job) => job.imageId).sort()).toEqual([stored?.id, ...more.body.data.map((i) => i.id)].sort())
    expect(indexJobs().every((job) => job.tenantId === owner.tenant.id)).toBe(true)

    const listed = await api<{ data: Image[] }>(`/v1/products/${product.id}/images`, { token: owner.accessToken })
    expect(listed.body.data.map((i) => i.position)).toEqual([0, 1, 2, 3])
    const summary = await api<{ images: { total: number; pending: number } }>(`/v1/products/${product.id}`, { token: owner.accessToken })
    expect(summary.body.images).toMatchObject({ total: 4, pending: 4 })
    const audit = await api<{ data: { action: string }[] }>('/v1/audit-log', { token: owner.accessToken })
    expect(audit.body.data.filter((e) => e.action === 'image.created')).toHaveLength(4)
  })

  it('gives concurrent uploads to one product distinct positions and exactly one primary image', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    const uploads = await Promise.all(Array.from({ length: 4 }, (_, i) => upload(owner, product.id, [{ bytes: jpegImage(40 + i, 30), name: `c${i}.jpg` }])))
    expect(uploads.map((u) => u.res.status)).toEqual([201, 201, 201, 201])
    const listed = await api<{ data: Image[] }>(`/v1/products/${product.id}/images`, { token: owner.accessToken })
    expect(listed.body.data.map((image) => image.position).sort()).toEqual([0, 1, 2, 3])
    expect(listed.body.data.filter((image) => image.isPrimary)).toHaveLength(1)
  })

  it('refuses by content, not by name: SVG and a ZIP renamed .jpg are 415, and nothing is stored', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    for (const bytes of [SVG_BYTES, ZIP_BYTES]) {
      const refused = await upload<ErrorBody>(owner, product.id, [{ bytes, name: 'photo.jpg' }])
      expect(refused.res.status).toBe(415)
      expect(refused.body.error.code).toBe('unsupported_media_type')
    }
    const mixed = await upload<ErrorBody>(owner, product.id, [
      { bytes: pngImage(2, 2), name: 'ok.png' },
      { bytes: ZIP_BYTES, name: 'archive.jpg' },
    ])
    expect(mixed.res.status).toBe(415)
    expect(mixed.body.error.message).toContain('archive.jpg')
    expect((await api<{ data: Image[] }>(`/v1/products/${product.id}/images`, { token: owner.accessToken })).body.data).toEqual([])
    expect((await env.MEDIA.list({ prefix: `t/${owner.tenant.id}/` })).objects).toEqual([])
  })

  it('answers 400 past 8,000 px per side, 413 past 10 MB per file or 11 MB per body, and 400 past 20 files', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    const wide = await upload<ErrorBody>(owner, product.id, [{ bytes: pngImage(8001, 2), name: 'wide.png' }])
    expect(wide.res.status).toBe(400)
    expect(wide.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('8001×2 px exceeds the 8000 px limit') })
    expect((await upload(owner, product.id, [{ bytes: pngImage(8000, 1), name: 'edge.png' }])).res.status).toBe(201)

    const padded = (size: number) => {
      const bytes = new Uint8Array(size)
      bytes.set(jpegImage(8, 8))
      return bytes
    }
    const big = await upload<ErrorBody>(owner, product.id, [{ bytes: padded(10 * 1024 * 1024 + 1), name: 'big.jpg' }])
    expect(big.res.status).toBe(413)
    expect(big.body.error.code).toBe('payload_too_large')
    const body = await upload<ErrorBody>(owner, product.id, [
      { bytes: padded(6 * 1024 * 1024), name: 'a.jpg' },
      { bytes: padded(6 * 1024 * 1024), name: 'b.jpg' },
    ])
    expect(body.res.status).toBe(413)

    const many = await upload<ErrorBody>(owner, product.id, Array.from({ length: 21 }, (_, i) => ({ bytes: pngImage(1, 1), name: `${i}.png` })))
    expect(many.res.status).toBe(400)
    expect(many.body.error.code).toBe('invalid_request')
    const twenty = await upload(owner, product.id, Array.from({ length: 20 }, (_, i) => ({ bytes: pngImage(1, 1, [i, i, i]), name: `${i}.png` })))
    expect(twenty.res.status).toBe(201)
    expect(twenty.body.data).toHaveLength(20)
  })

  it('answers 400 for a body without files, and needs the write scope', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    const empty = new FormData()
    empty.append('alt', 'no file')
    const res = await SELF.fetch(`${BASE}/v1/products/${product.id}/images`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: empty })
    expect(res.status).toBe(400)
    const reader = await createKey(owner, ['read'])
    const form = new FormData()
    form.append('file', new File([pngImage(1, 1)], 'x.png'))
    const denied = await SELF.fetch(`${BASE}/v1/products/${product.id}/images`, { method: 'POST', headers: { 'x-api-key': reader.key }, body: form })
    expect(denied.status).toBe(403)
    expect((await api(`/v1/products/${product.id}/images`, { apiKey: reader.key })).res.status).toBe(200)
  })
})

describe('managing images', () => {
  it('updates alt, position, variant and the single primary; deletes row and objects; re-indexes a failed image', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    const other = await newProduct(owner)
    const uploaded = await upload(owner, product.id, [
      { bytes: pngImage(2, 2), name: 'a.png' },
      { bytes: pngImage(3, 3), name: 'b.png' },
    ])
    const [a, b] = uploaded.body.data
    if (!a || !b) throw new Error('upload failed')
    const path = (id: string) => `/v1/products/${product.id}/images/${id}`

    const variantId = product.variants[0]?.id
    const patched = await api<Image>(path(b.id), { token: owner.accessToken, method: 'PATCH', body: { alt: 'Back', position: 7, primary: true, variantId } })
    expect(patched.body).toMatchObject({ alt: 'Back', position: 7, isPrimary: true, variantId })
    expect((await api<Image>(path(a.id), { token: owner.accessToken })).body.isPrimary).toBe(false)
    const foreignVariant = await api<ErrorBody>(path(b.id), { token: owner.accessToken, method: 'PATCH', body: { variantId: other.variants[0]?.id } })
    expect(foreignVariant.res.status).toBe(400)
    expect((await api(`/v1/products/${other.id}/images/${a.id}`, { token: owner.accessToken })).res.status).toBe(404)

    const thumbKey = `t/${owner.tenant.id}/images/${b.id}/thumb-300.webp`
    await env.MEDIA.put(thumbKey, WEBP_LOSSY_1X1, { httpMetadata: { contentType: 'image/webp' } })
    const withThumb = await api<Image>(path(b.id), { token: owner.accessToken })
    expect(withThumb.body.thumbnails).toEqual({ small: `/v1/media/${thumbKey}` })

    expect((await api(path(b.id), { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(path(b.id), { token: owner.accessToken })).res.status).toBe(404)
    expect(await env.MEDIA.head(thumbKey)).toBeNull()
    expect(await env.MEDIA.head(`t/${owner.tenant.id}/images/${b.id}/original`)).toBeNull()
    expect((await api<Image>(path(a.id), { token: owner.accessToken })).body.isPrimary).toBe(true)

    const client = createDatabase({ url: env.DATABASE_URL })
    await client.db.execute(sql`update product_images set status = 'failed', failure_reason = 'decode error' where id = ${a.id}`)
    await client.close()
    expect((await api<Image>(path(a.id), { token: owner.accessToken })).body).toMatchObject({ status: 'failed', failureReason: 'decode error' })
    await expect.poll(() => indexJobs().length).toBe(2)
    const requeued = await SELF.fetch(`${BASE}${path(a.id)}/reindex`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` } })
    expect(requeued.status).toBe(202)
    expect(await requeued.json()).toMatchObject({ status: 'pending', failureReason: null })
    await expect.poll(() => indexJobs().length).toBe(3)
    expect(indexJobs().at(-1)).toEqual({ tenantId: owner.tenant.id, imageId: a.id })

    const audit = await api<{ data: { action: string }[] }>('/v1/audit-log', { token: owner.accessToken })
    expect(audit.body.data.map((e) => e.action)).toEqual(expect.arrayContaining(['image.updated', 'image.deleted']))
  })

  it('lists the thumbnails of an image whose search vector still waits for the model, in the image list and as the product cover', async () => {
    const owner = await signUp()
    const product = await newProduct(owner, 'active')
    const uploaded = await upload(owner, product.id, [{ bytes: pngImage(4, 4), name: 'waiting.png' }])
    const [image] = uploaded.body.data
    if (!image) throw new Error('upload failed')
    const client = createDatabase({ url: env.DATABASE_URL })
    try {
      await client.db.execute(sql`update product_images set status = 'failed', failure_reason = 'model_unavailable', thumbnails_at = now() where id = ${image.id}`)
    } finally {
      await client.close()
    }
    const prefix = `/v1/media/t/${owner.tenant.id}/images/${image.id}`
    const listed = await api<{ data: Image[] }>(`/v1/products/${product.id}/images`, { token: owner.accessToken })
    expect(listed.body.data[0]).toMatchObject({ status: 'failed', failureReason: 'model_unavailable', thumbnails: { small: `${prefix}/thumb-300.webp`, large: `${prefix}/w1200.webp` } })
    const products = await api<{ data: { id: string; thumbnail: string | null }[] }>('/v1/products?include=thumbnail', { token: owner.accessToken })
    expect(products.body.data.find((p) => p.id === product.id)?.thumbnail).toBe(`${prefix}/thumb-300.webp`)
  })

  it('deletes the originals and thumbnails of every image when the product is deleted', async () => {
    const owner = await signUp()
    const product = await newProduct(owner)
    const [image] = (await upload(owner, product.id, [{ bytes: pngImage(2, 2), name: 'a.png' }])).body.data
    const prefix = `t/${owner.tenant.id}/images/${image?.id}/`
    await env.MEDIA.put(`${prefix}w1200.webp`, WEBP_LOSSY_1X1)
    expect((await api(`/v1/products/${product.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    await expect.poll(async () => (await env.MEDIA.list({ prefix })).objects.length).toBe(0)
  })
})

describe('serving media', () => {
  it('serves with type, ETag and immutable caching, answers 304, and is public only for active products', async () => {
    const owner = await signUp()
    const stranger = await signUp()
    const product = await newProduct(owner, 'draft')
    const png = pngImage(5, 5)
    const [image] = (await upload(owner, product.id, [{ bytes: png, name: 'a.png' }])).body.data
    const url = `${BASE}${image?.url}`

    expect((await SELF.fetch(url)).status).toBe(401)
    expect((await SELF.fetch(url, { headers: { authorization: `Bearer ${stranger.accessToken}` } })).status).toBe(404)
    const privateRes = await SELF.fetch(url, { headers: { authorization: `Bearer ${owner.accessToken}` } })
    expect(privateRes.status).toBe(200)
    expect(privateRes.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    expect(new Uint8Array(await privateRes.arrayBuffer())).toEqual(png)

    await api(`/v1/products/${product.id}`, { token: owner.accessToken, method: 'PATCH', body: { status: 'active' } })
    const publicRes = await SELF.fetch(url)
    expect(publicRes.status).toBe(200)
    expect(publicRes.headers.get('content-type')).toBe('image/png')
    expect(publicRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const etag = publicRes.headers.get('etag')
    expect(etag).toMatch(/^".+"$/)
    await publicRes.arrayBuffer()
    const notModified = await SELF.fetch(url, { headers: { 'if-none-match': etag ?? '' } })
    expect(notModified.status).toBe(304)
    expect(notModified.headers.get('etag')).toBe(etag)

    expect((await SELF.fetch(`${BASE}/v1/media/t/${stranger.tenant.id}/images/${image?.id}/original`)).status).toBe(404)
    expect((await SELF.fetch(`${BASE}/v1/media/t/${owner.tenant.id}/images/${image?.id}/thumb-300.webp`)).status).toBe(404)
    expect((await SELF.fetch(`${BASE}/v1/media/t/${owner.tenant.id}/images/${image?.id}/secret.txt`)).status).toBe(400)
  })
})
