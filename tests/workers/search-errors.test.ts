// Search failures: bad inputs (400/415), refused image URLs, the monthly search quota (429 with the plan), and the
// CLIP service unreachable, without a model or busy (503/429), each in the one error shape.
import { createExecutionContext, env, runDurableObjectAlarm, SELF, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../workers/app'
import { installFakeInternet } from '../helpers/fake-network'
import { ZIP_BYTES } from '../helpers/image-fixtures'
import { api, BASE, createKey, onOwnPlan, signUp } from './helpers'
import { buildSearchCatalog, searchByImage, SHADES, swatch, type SearchAnswer, type SearchCatalog } from './search-fixtures'

interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

let shop: SearchCatalog
beforeAll(async () => {
  shop = await buildSearchCatalog()
})

let restore: (() => void) | undefined
afterEach(() => restore?.())

const red = SHADES.red[0] ?? [255, 0, 0]

describe('bad inputs', () => {
  it('answers 400 without an image, 415 for a body that is not an image, 400 for top_k out of range', async () => {
    const empty = new FormData()
    empty.append('note', 'no image here')
    const noFile = await SELF.fetch(`${BASE}/v1/search/image`, { method: 'POST', headers: { 'x-api-key': shop.readKey }, body: empty })
    expect(noFile.status).toBe(400)
    const noJsonImage = await api<ErrorBody>('/v1/search/image', { apiKey: shop.readKey, body: {} })
    expect(noJsonImage.res.status).toBe(400)
    expect(noJsonImage.body.error.code).toBe('invalid_request')
    const zip = await searchByImage(shop.readKey, ZIP_BYTES)
    expect(zip.res.status).toBe(415)
    const text = await SELF.fetch(`${BASE}/v1/search/image`, { method: 'POST', headers: { 'x-api-key': shop.readKey, 'content-type': 'text/plain' }, body: 'hello' })
    expect(text.status).toBe(415)
    for (const topK of [0, 1000]) {
      const { res, body } = await searchByImage(shop.readKey, swatch(red), `top_k=${topK}`)
      expect(res.status).toBe(400)
      expect((body as unknown as ErrorBody).error.code).toBe('invalid_request')
    }
    const emptyQuery = await api<ErrorBody>('/v1/search/text', { apiKey: shop.readKey, body: { query: '   ' } })
    expect(emptyQuery.res.status).toBe(400)
  })

  it('fetches a query image by URL under the upload rules and refuses private addresses', async () => {
    const internet = installFakeInternet(env.DNS_RESOLVER_URL, {
      dns: { 'images.example': ['93.184.216.34'], 'intranet.example': ['10.0.0.7'] },
      sites: { 'http://images.example/red.png': () => new Response(swatch(red), { headers: { 'content-type': 'image/png' } }) },
    })
    restore = internet.restore
    const fetched = await api<SearchAnswer>('/v1/search/image', { apiKey: shop.readKey, body: { url: 'http://images.example/red.png' } })
    expect(fetched.res.status).toBe(200)
    expect(fetched.body.results[0]?.product.id).toBe(shop.products.red[0]?.id)
    const refused = await api<{ error: { details: { code: string }[] } }>('/v1/search/image', { apiKey: shop.readKey, body: { url: 'http://intranet.example/x.png' } })
    expect(refused.res.status).toBe(400)
    expect(refused.body.error.details[0]?.code).toBe('forbidden_address')
  })
})

describe('monthly search quota', () => {
  /** A new shop on a plan of two searches a month, with a read key. */
  async function shopWithTwoSearches() {
    const owner = await signUp()
    const plan = await onOwnPlan(owner, 'Two searches', { monthlySearches: 2 })
    return { owner, plan, key: await createKey(owner, ['read']) }
  }

  it('answers 429 quota_exceeded with the plan once the month’s searches are used up', async () => {
    const { plan, key } = await shopWithTwoSearches()
    expect((await api('/v1/search/text', { apiKey: key.key, body: { query: 'one' } })).res.status).toBe(200)
    expect((await searchByImage(key.key, swatch(red))).res.status).toBe(200)
    const over = await api<ErrorBody>('/v1/search/text', { apiKey: key.key, body: { query: 'three' } })
    expect(over.res.status).toBe(429)
    expect(over.body.error).toMatchObject({ code: 'quota_exceeded', details: { plan, resource: 'searches', limit: 2, used: 2 } })
    expect(Number(over.res.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('charges only searches that were done: failed ones (503 model_unavailable) give their unit back, in the quota and the usage', async () => {
    const { owner, key } = await shopWithTwoSearches()
    const limiter = env.RATE_LIMITER.getByName(`tenant:${owner.tenant.id}`)
    const searchesUsed = async () => {
      await runDurableObjectAlarm(limiter)
      return (await api<{ totals: Record<string, number> }>('/v1/usage', { token: owner.accessToken })).body.totals.searches
    }
    const fake = 'http://clip-without-model.fake'
    const noModel = () => Response.json({ error: { code: 'model_unavailable', message: 'loading' } }, { status: 503 })
    const internet = installFakeInternet(env.DNS_RESOLVER_URL, { dns: {}, sites: { [`${fake}/embed/text`]: noModel, [`${fake}/embed/image`]: noModel } })
    restore = internet.restore
    const searchWithoutModel = async (query: string) => {
      const ctx = createExecutionContext()
      const res = await createApp().request(`${BASE}/v1/search/text`, { method: 'POST', headers: { 'x-api-key': key.key, 'content-type': 'application/json' }, body: JSON.stringify({ query }) }, { ...env, CLIP_URL: fake }, ctx)
      await waitOnExecutionContext(ctx)
      return res.status
    }

    expect((await api('/v1/search/text', { apiKey: key.key, body: { query: 'one' } })).res.status).toBe(200)
    expect(await searchesUsed()).toBe(1)
    for (let i = 0; i < 5; i++) expect(await searchWithoutModel(`failed ${i}`)).toBe(503)
    expect(await searchesUsed()).toBe(1)
    expect((await api('/v1/search/text', { apiKey: key.key, body: { query: 'two' } })).res.status).toBe(200)
    expect((await api('/v1/search/text', { apiKey: key.key, body: { query: 'three' } })).res.status).toBe(429)
    expect(await searchesUsed()).toBe(2)
  })
})

describe('CLIP service failures', () => {
  async function searchWithClipAt(clipUrl: string, bytes: Uint8Array): Promise<{ res: Response; body: ErrorBody }> {
    const ctx = createExecutionContext()
    const res = await createApp().request(`${BASE}/v1/search/image`, { method: 'POST', headers: { 'x-api-key': shop.readKey, 'content-type': 'image/png' }, body: bytes }, { ...env, CLIP_URL: clipUrl }, ctx)
    await waitOnExecutionContext(ctx)
    return { res, body: (await res.json()) as ErrorBody }
  }

  it('answers 503 service_unavailable when the service is unreachable', async () => {
    const { res, body } = await searchWithClipAt('http://127.0.0.1:9', swatch([1, 2, 3]))
    expect(res.status).toBe(503)
    expect(body.error.code).toBe('service_unavailable')
  })

  it('retries once, then answers 503 model_unavailable or 429 with Retry-After as the service says', async () => {
    const fake = 'http://clip.fake'
    let calls = 0
    let busy = false
    const internet = installFakeInternet(env.DNS_RESOLVER_URL, {
      dns: {},
      sites: {
        [`${fake}/embed/image`]: () => {
          calls += 1
          return busy
            ? Response.json({ error: { code: 'queue_full', message: 'busy' } }, { status: 429, headers: { 'retry-after': '1' } })
            : Response.json({ error: { code: 'model_unavailable', message: 'loading' } }, { status: 503 })
        },
      },
    })
    restore = internet.restore
    const noModel = await searchWithClipAt(fake, swatch([4, 5, 6]))
    expect(noModel.res.status).toBe(503)
    expect(noModel.body.error.code).toBe('model_unavailable')
    expect(calls).toBe(2)
    busy = true
    const queueFull = await searchWithClipAt(fake, swatch([7, 8, 9]))
    expect(queueFull.res.status).toBe(429)
    expect(queueFull.body.error.code).toBe('rate_limited')
    expect(queueFull.res.headers.get('retry-after')).toBe('1')
    expect(calls).toBe(4)
  })
})
