// Issue 13, finding 6: browser security headers on the Worker's responses (/docs, API answers, errors) and the refresh
// token as an HttpOnly, Secure, SameSite=Strict cookie on /v1/auth that rotates and is cleared on sign-out.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { REFRESH_COOKIE } from '../../workers/auth/refresh-cookie'
import { SECURITY_HEADERS, staticAssetHeadersFile } from '../../workers/lib/security-headers'
import { api, BASE, clientIp, signUp, unique } from './helpers'

function expectSecurityHeaders(res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? ''
  for (const directive of ["script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) expect(csp).toContain(directive)
  expect(csp).not.toContain('unsafe-inline')
  expect(csp).not.toContain('unsafe-eval')
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('referrer-policy')).toBe('same-origin')
  expect(res.headers.get('x-frame-options')).toBe('DENY')
}

/** The refresh cookie a response sets: its value and attributes (lower-cased names). */
function refreshCookieOf(res: Response): { value: string; attributes: Map<string, string> } {
  const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${REFRESH_COOKIE}=`))
  if (!header) throw new Error(`no ${REFRESH_COOKIE} cookie in ${JSON.stringify(res.headers.getSetCookie())}`)
  const [pair = '', ...rest] = header.split(';').map((part) => part.trim())
  const attributes = new Map(rest.map((part) => [part.split('=')[0]?.toLowerCase() ?? '', part.split('=')[1] ?? ''] as const))
  return { value: pair.slice(REFRESH_COOKIE.length + 1), attributes }
}

const postWithCookie = (path: string, token: string) => SELF.fetch(`${BASE}${path}`, { method: 'POST', headers: { cookie: `other=1; ${REFRESH_COOKIE}=${token}` } })

describe('security headers', () => {
  it('are on /docs, whose page runs no inline script', async () => {
    const res = await SELF.fetch(`${BASE}/docs`)
    expect(res.status).toBe(200)
    expectSecurityHeaders(res)
    const html = await res.text()
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/docs-assets\//)
      expect(body.trim()).toBe('')
    }
    expect(html).not.toMatch(/\son\w+=/)
    expect(html).not.toContain('<style')
  })

  it('are on API answers, errors and the OpenAPI document', async () => {
    const account = await signUp()
    for (const res of [
      await SELF.fetch(`${BASE}/openapi.json`),
      await SELF.fetch(`${BASE}/v1/auth/me`, { headers: { authorization: `Bearer ${account.accessToken}` } }),
      await SELF.fetch(`${BASE}/v1/auth/me`),
      await SELF.fetch(`${BASE}/v1/no-such-route`),
      await SELF.fetch(`${BASE}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad json' }),
    ]) {
      expectSecurityHeaders(res)
    }
  })

  it('are what the static assets get from the generated _headers file', () => {
    const file = staticAssetHeadersFile()
    expect(file.split('\n')).toContain('/*')
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(file).toContain(`  ${name}: ${value}\n`)
  })
})

describe('refresh token cookie', () => {
  it('is set by sign-up and sign-in: HttpOnly, Secure, SameSite=Strict, path /v1/auth', async () => {
    const email = `${unique('cookie')}@example.com`
    const password = 'long enough pw'
    const registered = await api<{ refreshToken: string }>('/v1/auth/register', {
      body: { email, password, tenantName: unique('Shop') },
      headers: { 'cf-connecting-ip': clientIp() },
    })
    const login = await api<{ refreshToken: string }>('/v1/auth/login', { body: { email, password }, headers: { 'cf-connecting-ip': clientIp() } })
    for (const { res, body } of [registered, login]) {
      const cookie = refreshCookieOf(res)
      expect(cookie.value).toBe(body.refreshToken)
      expect(cookie.attributes.has('httponly')).toBe(true)
      expect(cookie.attributes.has('secure')).toBe(true)
      expect(cookie.attributes.get('samesite')).toBe('Strict')
      expect(cookie.attributes.get('path')).toBe('/v1/auth')
      expect(Number(cookie.attributes.get('max-age'))).toBe(30 * 86_400)
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
  })

  it('refreshes from the cookie alone, rotates it, keeps the new token out of the body, and refuses the used one', async () => {
    const account = await signUp()
    const res = await postWithCookie('/v1/auth/refresh', account.refreshToken)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { accessToken: string; refreshToken?: string }
    expect(body.refreshToken).toBeUndefined()
    const next = refreshCookieOf(res)
    expect(next.value).toMatch(/^vr_/)
    expect(next.value).not.toBe(account.refreshToken)
    expect(next.attributes.get('path')).toBe('/v1/auth')
    expect((await api('/v1/auth/me', { token: body.accessToken })).res.status).toBe(200)

    const again = await postWithCookie('/v1/auth/refresh', next.value)
    expect(again.status).toBe(200)
    // Presenting a used token revokes the family: the newest cookie stops working too.
    expect((await postWithCookie('/v1/auth/refresh', next.value)).status).toBe(401)
    expect((await postWithCookie('/v1/auth/refresh', refreshCookieOf(again).value)).status).toBe(401)
  })

  it('still takes the token in the JSON body for non-browser clients, and answers it there', async () => {
    const account = await signUp()
    const { res, body } = await api<{ refreshToken: string }>('/v1/auth/refresh', { body: { refreshToken: account.refreshToken } })
    expect(res.status).toBe(200)
    expect(body.refreshToken).toMatch(/^vr_/)
    expect(refreshCookieOf(res).value).toBe(body.refreshToken)
  })

  it('answers 401 without any token and 400 for a malformed body', async () => {
    const none = await SELF.fetch(`${BASE}/v1/auth/refresh`, { method: 'POST' })
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } })
    expect((await postWithCookie('/v1/auth/refresh', 'vr_made-up')).status).toBe(401)
    expect((await api('/v1/auth/refresh', { body: { refreshToken: 42 } })).res.status).toBe(400)
  })

  it('is cleared by sign-out, which revokes the session', async () => {
    const account = await signUp()
    const res = await postWithCookie('/v1/auth/logout', account.refreshToken)
    expect(res.status).toBe(204)
    const cleared = refreshCookieOf(res)
    expect(cleared.value).toBe('')
    expect(cleared.attributes.get('max-age')).toBe('0')
    expect(cleared.attributes.get('path')).toBe('/v1/auth')
    expect((await postWithCookie('/v1/auth/refresh', account.refreshToken)).status).toBe(401)
    expect((await SELF.fetch(`${BASE}/v1/auth/logout`, { method: 'POST' })).status).toBe(204)
  })
})
