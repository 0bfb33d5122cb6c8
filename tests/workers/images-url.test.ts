// Uploading by URL: the fetcher resolves every hop through the (fake) DNS-over-HTTPS resolver, refuses private and
// metadata addresses before connecting, follows at most 3 redirects by hand, and caps time and size.
import { env } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fetchRemoteImage } from '../../workers/media/fetch-url'
import { dohResolver } from '../../workers/media/resolver'
import { installFakeInternet } from '../helpers/fake-network'
import { pngImage } from '../helpers/image-fixtures'
import { api, signUp, unique, type Account } from './helpers'

interface Refusal {
  error: { code: string; message: string; details: { path: string; code: string; message: string }[] }
}

const PNG = pngImage(12, 8)
const redirect = (location: string) => () => new Response(null, { status: 302, headers: { location } })
const trap = () => {
  throw new Error('a refused address was fetched')
}

let internet: ReturnType<typeof installFakeInternet>
beforeEach(() => {
  internet = installFakeInternet(env.DNS_RESOLVER_URL, {
    dns: {
      'shop.example': ['93.184.216.34', '2606:2800:220:1::1'],
      'cdn.example': ['93.184.216.35'],
      'rebind.example': ['127.0.0.1'],
      'mixed.example': ['93.184.216.36', '::1'],
      'metadata.example': ['fd00:ec2::254'],
      'hops.example': ['93.184.216.37'],
    },
    sites: {
      'http://shop.example/watch.png': () => new Response(PNG, { headers: { 'content-type': 'image/png' } }),
      'http://shop.example/page.html': () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
      'http://shop.example/gone.png': () => new Response('gone', { status: 404 }),
      'http://shop.example/huge.png': () => new Response(new Uint8Array(10 * 1024 * 1024 + 1)),
      'https://cdn.example/moved': redirect('http://shop.example/watch.png'),
      'https://cdn.example/to-loopback': redirect('http://127.0.0.1/admin'),
      'https://cdn.example/to-rebind': redirect('//rebind.example/x.png'),
      'http://hops.example/1': redirect('/2'),
      'http://hops.example/2': redirect('/3'),
      'http://hops.example/3': redirect('/4'),
      'http://hops.example/4': redirect('http://shop.example/watch.png'),
      'http://127.0.0.1/admin': trap,
      'http://169.254.169.254/latest/meta-data/': trap,
      'http://rebind.example/x.png': trap,
    },
  })
})
afterEach(() => internet.restore())

async function product(owner: Account): Promise<string> {
  const { body } = await api<{ id: string }>('/v1/products', { token: owner.accessToken, body: { name: unique('Watch') } })
  return body.id
}

describe('uploading by URL', () => {
  it('fetches a public image, following a redirect, after resolving each host over DNS-over-HTTPS', async () => {
    const owner = await signUp()
    const id = await product(owner)
    const { res, body } = await api<{ data: { width: number; height: number; contentType: string; alt: string }[] }>(`/v1/products/${id}/images`, {
      token: owner.accessToken,
      body: { url: 'https://cdn.example/moved', alt: 'From the web' },
    })
    expect(res.status).toBe(201)
    expect(body.data).toEqual([expect.objectContaining({ width: 12, height: 8, contentType: 'image/png', alt: 'From the web' })])
    const queries = internet.seen.filter((s) => s.url.startsWith(env.DNS_RESOLVER_URL))
    expect(queries.every((q) => q.accept === 'application/dns-json')).toBe(true)
    expect(queries.map((q) => new URL(q.url).searchParams.toString()).sort()).toEqual(
      ['name=cdn.example&type=A', 'name=cdn.example&type=AAAA', 'name=shop.example&type=A', 'name=shop.example&type=AAAA'].sort(),
    )
  })

  it('refuses loopback, metadata and private targets, directly, by DNS or after a redirect, without connecting', async () => {
    const owner = await signUp()
    const id = await product(owner)
    const attempts = [
      { url: 'http://127.0.0.1/admin', reason: 'forbidden_address' },
      { url: 'http://169.254.169.254/latest/meta-data/', reason: 'forbidden_address' },
      { url: 'http://[::1]/', reason: 'forbidden_address' },
      { url: 'http://[::ffff:127.0.0.1]/', reason: 'forbidden_address' },
      { url: 'http://2130706433/', reason: 'forbidden_address' },
      { url: 'http://localhost:8787/v1/health', reason: 'forbidden_address' },
      { url: 'http://rebind.example/x.png', reason: 'forbidden_address' },
      { url: 'http://mixed.example/x.png', reason: 'forbidden_address' },
      { url: 'http://metadata.example/x.png', reason: 'forbidden_address' },
      { url: 'https://cdn.example/to-loopback', reason: 'forbidden_address' },
      { url: 'https://cdn.example/to-rebind', reason: 'forbidden_address' },
      { url: 'http://nowhere.example/x.png', reason: 'upstream_failed' },
      { url: 'http://hops.example/1', reason: 'upstream_failed' },
      { url: 'ftp://shop.example/watch.png', reason: 'unsupported_scheme' },
      { url: 'file:///etc/passwd', reason: 'unsupported_scheme' },
      { url: 'not a url', reason: 'invalid_url' },
      { url: 'http://shop.example/gone.png', reason: 'upstream_failed' },
    ]
    for (const attempt of attempts) {
      const { res, body } = await api<Refusal>(`/v1/products/${id}/images`, { token: owner.accessToken, body: { url: attempt.url } })
      expect({ url: attempt.url, status: res.status, code: body.error.code, reason: body.error.details[0]?.code }).toEqual({
        url: attempt.url,
        status: 400,
        code: 'invalid_request',
        reason: attempt.reason,
      })
      expect(body.error.details[0]?.path).toBe('url')
    }
    const rebound = await api<Refusal>(`/v1/products/${id}/images`, { token: owner.accessToken, body: { url: 'http://rebind.example/x.png' } })
    expect(rebound.body.error.message).toContain('127.0.0.1')
    const listed = await api<{ data: unknown[] }>(`/v1/products/${id}/images`, { token: owner.accessToken })
    expect(listed.body.data).toEqual([])
  })

  it('applies the same content and size checks to fetched bytes, answering them as any upstream failure', async () => {
    const owner = await signUp()
    const id = await product(owner)
    for (const url of ['http://shop.example/page.html', 'http://shop.example/huge.png']) {
      const { res, body } = await api<Refusal>(`/v1/products/${id}/images`, { token: owner.accessToken, body: { url } })
      expect({ url, status: res.status, reason: body.error.details[0]?.code }).toEqual({ url, status: 400, reason: 'upstream_failed' })
    }
  })
})

describe('the URL fetcher', () => {
  const resolver = () => dohResolver(env.DNS_RESOLVER_URL)

  it('gives up at its deadline', async () => {
    internet.restore()
    internet = installFakeInternet(env.DNS_RESOLVER_URL, {
      dns: { 'slow.example': ['93.184.216.40'] },
      sites: {
        'http://slow.example/x.png': (request) =>
          new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
      },
    })
    await expect(fetchRemoteImage('http://slow.example/x.png', resolver(), { maxBytes: 1000, timeoutMs: 100, maxRedirects: 3 })).rejects.toMatchObject({
      code: 'invalid_request',
      details: [{ code: 'upstream_failed' }],
    })
  })

  it('stops reading a streamed body without a length once it passes the cap', async () => {
    let pulled = 0
    internet.restore()
    internet = installFakeInternet(env.DNS_RESOLVER_URL, {
      dns: { 'stream.example': ['93.184.216.41'] },
      sites: {
        'http://stream.example/x.png': () =>
          new Response(
            new ReadableStream<Uint8Array>({
              pull(controller) {
                pulled += 1
                controller.enqueue(new Uint8Array(400))
                if (pulled === 100) controller.close()
              },
            }),
          ),
      },
    })
    await expect(fetchRemoteImage('http://stream.example/x.png', resolver(), { maxBytes: 1000, timeoutMs: 5000, maxRedirects: 3 })).rejects.toMatchObject({ code: 'invalid_request', details: [{ code: 'upstream_failed' }] })
    expect(pulled).toBeLessThan(10)
  })
})
