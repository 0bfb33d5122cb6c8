// Sign-up, sign-in, rotating refresh tokens, sign-out and the access-token checks.
import { env } from 'cloudflare:test'
import { sign } from 'hono/jwt'
import { describe, expect, it } from 'vitest'
import { signAccessToken } from '../../workers/auth/access-token'
import { api, clientIp, signUp, unique } from './helpers'

describe('register', () => {
  it('creates the user, the tenant and an owner session', async () => {
    const email = `${unique('new')}@example.com`
    const { res, body } = await api('/v1/auth/register', { body: { email, password: 'long enough pw', tenantName: 'Relojería Núñez' } })
    expect(res.status).toBe(201)
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      role: 'owner',
      user: { email },
      tenant: { name: 'Relojería Núñez', slug: expect.stringMatching(/^relojeria-nunez/), plan: 'starter' },
    })
    expect(body.accessToken).toEqual(expect.any(String))
    expect(body.refreshToken).toMatch(/^vr_/)
  })

  it('refuses a registered email with 409 email_taken', async () => {
    const account = await signUp()
    const { res, body } = await api('/v1/auth/register', { body: { email: account.email.toUpperCase(), password: 'whatever123', tenantName: 'Other' } })
    expect(res.status).toBe(409)
    expect(body).toMatchObject({ error: { code: 'email_taken' } })
  })

  it('answers bad input with one issue per field', async () => {
    const { res, body } = await api<{ error: { code: string; details: { path: string }[] } }>('/v1/auth/register', {
      body: { email: 'not-an-email', password: 'short', tenantName: '' },
    })
    expect(res.status).toBe(400)
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['email', 'password', 'tenantName'])
  })
})

describe('login', () => {
  it('signs in and answers /v1/auth/me', async () => {
    const account = await signUp()
    const { res, body } = await api<{ accessToken: string; tenant: { id: string } }>('/v1/auth/login', {
      body: { email: account.email, password: account.password },
      headers: { 'cf-connecting-ip': clientIp() },
    })
    expect(res.status).toBe(200)
    expect(body.tenant.id).toBe(account.tenant.id)
    const me = await api('/v1/auth/me', { token: body.accessToken })
    expect(me.res.status).toBe(200)
    expect(me.body).toMatchObject({ user: { id: account.user.id }, tenant: { id: account.tenant.id }, role: 'owner' })
  })

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const account = await signUp()
    const wrongPassword = await api('/v1/auth/login', { body: { email: account.email, password: 'nope-nope' }, headers: { 'cf-connecting-ip': clientIp() } })
    const unknownEmail = await api('/v1/auth/login', { body: { email: `${unique('ghost')}@example.com`, password: 'nope-nope' }, headers: { 'cf-connecting-ip': clientIp() } })
    expect(wrongPassword.res.status).toBe(401)
    expect(unknownEmail.res.status).toBe(401)
    expect(wrongPassword.body.error).toEqual({ ...(unknownEmail.body.error as object), requestId: expect.any(String) })
  })

  it('delays sign-in attempts per email after five failures with 429 and Retry-After', async () => {
    const account = await signUp()
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const { res } = await api('/v1/auth/login', { body: { email: account.email, password: `wrong-${i}` }, headers: { 'cf-connecting-ip': clientIp() } })
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const right = await api('/v1/auth/login', { body: { email: account.email, password: account.password }, headers: { 'cf-connecting-ip': clientIp() } })
    expect(right.res.status).toBe(429)
  })

  it('limits sign-in attempts per IP across emails', { timeout: 60_000 }, async () => {
    const ip = clientIp()
    let last = 0
    for (let i = 0; i < 31; i++) {
      const { res } = await api('/v1/auth/login', { body: { email: `${unique('spray')}@example.com`, password: 'x' }, headers: { 'cf-connecting-ip': ip } })
      last = res.status
    }
    expect(last).toBe(429)
  })
})

describe('refresh tokens', () => {
  it('rotates, and reuse of a used token revokes the whole family', async () => {
    const account = await signUp()
    const first = await api<{ refreshToken: string; accessToken: string }>('/v1/auth/refresh', { body: { refreshToken: account.refreshToken } })
    expect(first.res.status).toBe(200)
    expect(first.body.refreshToken).not.toBe(account.refreshToken)

    const reuse = await api('/v1/auth/refresh', { body: { refreshToken: account.refreshToken } })
    expect(reuse.res.status).toBe(401)
    const afterReuse = await api('/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } })
    expect(afterReuse.res.status).toBe(401)
  })

  it('logout revokes the session', async () => {
    const account = await signUp()
    expect((await api('/v1/auth/logout', { body: { refreshToken: account.refreshToken } })).res.status).toBe(204)
    expect((await api('/v1/auth/refresh', { body: { refreshToken: account.refreshToken } })).res.status).toBe(401)
  })

  it('rejects an unknown token', async () => {
    expect((await api('/v1/auth/refresh', { body: { refreshToken: 'vr_made-up' } })).res.status).toBe(401)
  })
})

describe('access tokens', () => {
  it('rejects expired, forged, malformed and missing tokens with 401', async () => {
    const account = await signUp()
    const claims = { userId: account.user.id, tenantId: account.tenant.id, role: 'owner' as const }
    const expired = await signAccessToken(claims, env.JWT_SECRET, Math.floor(Date.now() / 1000) - 3600)
    const forged = await signAccessToken(claims, 'another-secret-of-sufficient-length')
    const noneAlg = await sign({ sub: claims.userId, tid: claims.tenantId, role: 'owner', typ: 'access', exp: 9_999_999_999 }, env.JWT_SECRET, 'HS512')
    for (const token of [expired, forged, noneAlg, 'not.a.jwt', 'garbage']) {
      const { res, body } = await api('/v1/auth/me', { token })
      expect(res.status).toBe(401)
      expect(body).toMatchObject({ error: { code: 'unauthorized' } })
    }
    const missing = await api('/v1/auth/me')
    expect(missing.res.status).toBe(401)
    expect(missing.res.headers.get('www-authenticate')).toBe('Bearer')
  })
})
