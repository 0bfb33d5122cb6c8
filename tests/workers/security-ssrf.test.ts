// Issue 13, finding 10: IPv6 forms that wrap or tunnel to private IPv4 passed the SSRF guard, and distinct error codes
// for each upstream failure let a caller map the open ports of public hosts. Both are closed here.
import { env } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isForbiddenAddress } from '../../workers/media/addresses'
import { installFakeInternet } from '../helpers/fake-network'
import { pngImage } from '../helpers/image-fixtures'
import { api, signUp, unique } from './helpers'

/** Addresses the guard let through before, each reaching a private, loopback or tunnelled host. */
const REPORTED = [
  '::7f00:1', // ::/96 IPv4-compatible, 127.0.0.1
  '::a00:1', // ::/96, 10.0.0.1
  '::ffff:0:7f00:1', // ::ffff:0:0:0/96 SIIT translated, 127.0.0.1
  '::ffff:0:a9fe:a9fe', // translated 169.254.169.254
  '64:ff9b:1::a00:1', // local-use NAT64, 10.0.0.1
  '64:ff9b:1::808:808', // local-use NAT64 never reaches the public internet either
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
  '2001::1', // Teredo prefix
]

/** The rest of the IPv6 special-purpose registry, reviewed with the finding. */
const SPECIAL = [
  '::', '::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '::8.8.8.8', '100::1', '2001:2::1', '2001:10::1', '2001:20::1',
  '2001:db8::1', '3fff::1', '5f00::1', 'fc00::1', 'fd00:ec2::254', 'fe80::1', 'fe80::1%eth0', 'fec0::1', 'ff02::1',
  '2002:7f00:1::1', '2002:c0a8:101::1', '2002:a9fe:a9fe::', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '192.88.99.1',
]

const PUBLIC = ['2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001::1', '64:ff9b::808:808', '2002:808:808::1', '93.184.216.34']

describe('SSRF guard: IPv6 forms', () => {
  it('refuses every reported form and the other special-purpose ranges, and keeps public addresses', () => {
    for (const address of [...REPORTED, ...SPECIAL]) expect({ address, forbidden: isForbiddenAddress(address) }).toEqual({ address, forbidden: true })
    for (const address of PUBLIC) expect({ address, forbidden: isForbiddenAddress(address) }).toEqual({ address, forbidden: false })
  })

  describe('through the API', () => {
    let internet: ReturnType<typeof installFakeInternet>
    const trap = () => {
      throw new Error('a refused address was fetched')
    }
    beforeEach(() => {
      internet = installFakeInternet(env.DNS_RESOLVER_URL, {
        dns: Object.fromEntries(REPORTED.map((address, i) => [`v6-${i}.example`, [address]])),
        sites: Object.fromEntries(REPORTED.map((_, i) => [`http://v6-${i}.example/x.png`, trap])),
      })
    })
    afterEach(() => internet.restore())

    it('refuses them as literals and by DNS, before connecting', async () => {
      const owner = await signUp()
      const { body: product } = await api<{ id: string }>('/v1/products', { token: owner.accessToken, body: { name: unique('SSRF') } })
      const urls = [...REPORTED.map((address) => `http://[${address}]/x.png`), 'http://[::127.0.0.1]/x.png', ...REPORTED.map((_, i) => `http://v6-${i}.example/x.png`)]
      for (const url of urls) {
        const { res, body } = await api<{ error: { details: { code: string }[] } }>(`/v1/products/${product.id}/images`, { token: owner.accessToken, body: { url } })
        expect({ url, status: res.status, reason: body.error.details[0]?.code }).toEqual({ url, status: 400, reason: 'forbidden_address' })
      }
    })
  })
})

/** An error body without its request id, the one part that differs between any two answers. */
function withoutRequestId(body: { error: Record<string, unknown> }): unknown {
  return { error: Object.fromEntries(Object.entries(body.error).filter(([key]) => key !== 'requestId')) }
}

describe('SSRF guard: upstream failures', () => {
  let internet: ReturnType<typeof installFakeInternet>
  beforeEach(() => {
    internet = installFakeInternet(env.DNS_RESOLVER_URL, {
      dns: { 'public.example': ['93.184.216.50'], 'loop.example': ['93.184.216.51'] },
      sites: {
        'http://public.example/ok.png': () => new Response(pngImage(4, 4)),
        'http://public.example/missing.png': () => new Response('not here', { status: 404 }),
        'http://public.example/error.png': () => new Response('boom', { status: 500 }),
        'http://public.example/page.html': () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
        'http://public.example/huge.png': () => new Response(new Uint8Array(10 * 1024 * 1024 + 1)),
        'http://public.example:22/': () => new Response('SSH-2.0-OpenSSH_9.6\r\n'),
        'http://public.example:25/': () => {
          throw new TypeError('Network connection lost.')
        },
        'http://public.example:6379/': () => Promise.reject(new TypeError('connection refused')),
        'http://loop.example/a': () => new Response(null, { status: 302, headers: { location: '/a' } }),
      },
    })
  })
  afterEach(() => internet.restore())

  it('answer one code and one message, whether a port is closed, answers 404 or 500, or serves something else', async () => {
    const owner = await signUp()
    const { body: product } = await api<{ id: string }>('/v1/products', { token: owner.accessToken, body: { name: unique('Probe') } })
    const probes = [
      'http://public.example/missing.png',
      'http://public.example/error.png',
      'http://public.example/page.html',
      'http://public.example/huge.png',
      'http://public.example:22/',
      'http://public.example:25/',
      'http://public.example:6379/',
      'http://loop.example/a',
      'http://no-such-host.example/x.png',
    ]
    const answers = new Set<string>()
    for (const url of probes) {
      const { res, body } = await api<{ error: Record<string, unknown> }>(`/v1/products/${product.id}/images`, { token: owner.accessToken, body: { url } })
      answers.add(JSON.stringify({ status: res.status, body: withoutRequestId(body) }))
    }
    expect(answers.size).toBe(1)
    const [only] = [...answers]
    expect(JSON.parse(only ?? '{}')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: [{ path: 'url', code: 'upstream_failed' }] } } })
    const search = await api<{ error: Record<string, unknown> }>(`/v1/search/image`, { token: owner.accessToken, body: { url: 'http://public.example:6379/' } })
    expect(search.res.status).toBe(400)
    expect(withoutRequestId(search.body)).toEqual((JSON.parse(only ?? '{}') as { body: unknown }).body)
    const ok = await api(`/v1/products/${product.id}/images`, { token: owner.accessToken, body: { url: 'http://public.example/ok.png' } })
    expect(ok.res.status).toBe(201)
  }, 30_000)
})
