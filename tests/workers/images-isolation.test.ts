// The cross-tenant matrix for images: tenant A's credentials on tenant B's product images and media answer 404 and
// change nothing; A cannot move B's image onto A's product either.
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { pngImage } from '../helpers/image-fixtures'
import { api, BASE, createKey, signUp, unique } from './helpers'

describe('image tenant isolation', () => {
  it("answers 404 for B's images and media with A's credentials", async () => {
    const a = await signUp()
    const b = await signUp()
    const aKey = await createKey(a, ['read', 'write'])
    const bProduct = await api<{ id: string }>('/v1/products', { token: b.accessToken, body: { name: unique('B product') } })
    const aProduct = await api<{ id: string }>('/v1/products', { token: a.accessToken, body: { name: unique('A product') } })
    const form = new FormData()
    form.append('file', new File([pngImage(4, 4)], 'b.png'))
    const uploaded = await SELF.fetch(`${BASE}/v1/products/${bProduct.body.id}/images`, { method: 'POST', headers: { authorization: `Bearer ${b.accessToken}` }, body: form })
    const image = ((await uploaded.json()) as { data: { id: string; url: string }[] }).data[0]
    if (!image) throw new Error('upload failed')
    const base = `/v1/products/${bProduct.body.id}/images`

    const attempts: { method: string; path: string; body?: unknown }[] = [
      { method: 'GET', path: base },
      { method: 'GET', path: `${base}/${image.id}` },
      { method: 'PATCH', path: `${base}/${image.id}`, body: { alt: 'x', primary: true } },
      { method: 'DELETE', path: `${base}/${image.id}` },
      { method: 'POST', path: `${base}/${image.id}/reindex` },
      { method: 'GET', path: `/v1/products/${aProduct.body.id}/images/${image.id}` },
      { method: 'DELETE', path: `/v1/products/${aProduct.body.id}/images/${image.id}` },
      { method: 'GET', path: image.url },
    ]
    for (const credential of [{ token: a.accessToken }, { apiKey: aKey.key }]) {
      for (const attempt of attempts) {
        const { res } = await api(attempt.path, { method: attempt.method, ...credential, ...(attempt.body ? { body: attempt.body } : {}) })
        expect({ route: `${attempt.method} ${attempt.path}`, status: res.status }).toEqual({ route: `${attempt.method} ${attempt.path}`, status: 404 })
      }
      const intoB = new FormData()
      intoB.append('file', new File([pngImage(1, 1)], 'a.png'))
      const headers: Record<string, string> = 'token' in credential ? { authorization: `Bearer ${credential.token}` } : { 'x-api-key': credential.apiKey }
      const upload = await SELF.fetch(`${BASE}${base}`, { method: 'POST', headers, body: intoB })
      expect(upload.status).toBe(404)
    }

    const still = await api<{ data: { id: string; alt: string | null; isPrimary: boolean }[] }>(base, { token: b.accessToken })
    expect(still.body.data).toEqual([expect.objectContaining({ id: image.id, alt: null, isPrimary: true })])
    expect(await env.MEDIA.head(`t/${b.tenant.id}/images/${image.id}/original`)).not.toBeNull()
    expect((await env.MEDIA.list({ prefix: `t/${a.tenant.id}/` })).objects).toEqual([])
    const owned = await SELF.fetch(`${BASE}${image.url}`, { headers: { authorization: `Bearer ${b.accessToken}` } })
    expect(owned.status).toBe(200)
    await owned.arrayBuffer()
  })
})
