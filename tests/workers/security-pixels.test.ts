// Issue 13, finding 13: uploads allowed 64 MP (8,000 px per side) while the CLIP service decodes at most 50 MP, so an
// accepted image could never be indexed. One pixel cap, MAX_IMAGE_PIXELS, now holds for both; beyond it a 400 names the size.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { MAX_IMAGE_PIXELS } from '../../workers/media/formats'
import { MAX_IMAGE_SIDE, validateImage } from '../../workers/media/images'
import { avifHeader, webpHeader } from '../helpers/image-fixtures'
import { api, BASE, signUp } from './helpers'

describe('pixel cap', () => {
  it('is at most the 50 MP the CLIP service decodes, and below what the side limit alone allows', () => {
    expect(MAX_IMAGE_PIXELS).toBeLessThanOrEqual(50_000_000)
    expect(MAX_IMAGE_SIDE * MAX_IMAGE_SIDE).toBeGreaterThan(MAX_IMAGE_PIXELS)
    expect(validateImage(webpHeader(8000, 6250), 'edge.webp')).toMatchObject({ width: 8000, height: 6250 })
    expect(() => validateImage(avifHeader(8000, 6251), 'over.avif')).toThrow(/8000×6251 px is 50008000 pixels, over the 50000000 pixel limit/)
  })

  it('answers 400 naming the size for an upload within the side limit but over the pixel cap', async () => {
    const owner = await signUp()
    const product = await api<{ id: string }>('/v1/products', { token: owner.accessToken, body: { name: 'Pixels' } })
    const form = new FormData()
    form.append('file', new File([webpHeader(7072, 7072)], 'huge.webp'))
    const res = await SELF.fetch(`${BASE}/v1/products/${product.body.id}/images`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: form })
    const body = (await res.json()) as { error: { code: string; message: string; details: { code: string }[] } }
    expect(res.status).toBe(400)
    expect(body.error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ code: 'too_many_pixels' })] })
    expect(body.error.message).toContain('huge.webp is too large: 7072×7072 px is 50013184 pixels')
  })
})
