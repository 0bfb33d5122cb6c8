// The admin UI language a person chooses: stored on their user row, returned by /v1/auth/me and at sign-in.
import { describe, expect, it } from 'vitest'
import { addMember, api, clientIp, createKey, signUp } from './helpers'

interface MeBody {
  user: { id: string; locale: string | null }
  tenant: { id: string }
  role: string
}

describe('PATCH /v1/auth/me {locale}', () => {
  it('starts null, is stored, returned by /me and by the next sign-in, and can be reset to null', async () => {
    const account = await signUp()
    const before = await api<MeBody>('/v1/auth/me', { token: account.accessToken })
    expect(before.body.user.locale).toBeNull()

    const patched = await api<MeBody>('/v1/auth/me', { method: 'PATCH', token: account.accessToken, body: { locale: 'es-MX' } })
    expect(patched.res.status).toBe(200)
    expect(patched.body).toMatchObject({ user: { id: account.user.id, locale: 'es-MX' }, tenant: { id: account.tenant.id }, role: 'owner' })
    expect((await api<MeBody>('/v1/auth/me', { token: account.accessToken })).body.user.locale).toBe('es-MX')

    const login = await api<MeBody>('/v1/auth/login', { body: { email: account.email, password: account.password }, headers: { 'cf-connecting-ip': clientIp() } })
    expect(login.body.user.locale).toBe('es-MX')

    const reset = await api<MeBody>('/v1/auth/me', { method: 'PATCH', token: account.accessToken, body: { locale: null } })
    expect(reset.body.user.locale).toBeNull()
  })

  it('refuses an unknown language or a missing field with 400 invalid_request naming the field', async () => {
    const account = await signUp()
    const wrong = await api<{ error: { code: string; details: { path: string }[] } }>('/v1/auth/me', { method: 'PATCH', token: account.accessToken, body: { locale: 'fr' } })
    expect(wrong.res.status).toBe(400)
    expect(wrong.body.error.code).toBe('invalid_request')
    expect(wrong.body.error.details.map((d) => d.path)).toEqual(['locale'])
    const missing = await api('/v1/auth/me', { method: 'PATCH', token: account.accessToken, body: {} })
    expect(missing.res.status).toBe(400)
  })

  it('needs a signed-in member: no token is 401, an API key 403', async () => {
    const account = await signUp()
    expect((await api('/v1/auth/me', { method: 'PATCH', body: { locale: 'en' } })).res.status).toBe(401)
    const key = await createKey(account, ['admin'])
    expect((await api('/v1/auth/me', { method: 'PATCH', apiKey: key.key, body: { locale: 'en' } })).res.status).toBe(403)
  })

  it('changes only the caller: another member of the tenant and people of other tenants keep theirs', async () => {
    const owner = await signUp()
    const member = await addMember(owner, 'member')
    const stranger = await signUp()
    await api('/v1/auth/me', { method: 'PATCH', token: stranger.accessToken, body: { locale: 'en' } })
    await api('/v1/auth/me', { method: 'PATCH', token: member.accessToken, body: { locale: 'es-MX' } })
    expect((await api<MeBody>('/v1/auth/me', { token: owner.accessToken })).body.user.locale).toBeNull()
    expect((await api<MeBody>('/v1/auth/me', { token: member.accessToken })).body.user.locale).toBe('es-MX')
    expect((await api<MeBody>('/v1/auth/me', { token: stranger.accessToken })).body.user.locale).toBe('en')
  })
})

describe('validation issues carry their bounds', () => {
  it('a too-short field reports minimum and origin so the UI can say "required" in its language', async () => {
    const { body } = await api<{ error: { details: { path: string; code: string; minimum?: number; origin?: string }[] } }>('/v1/auth/register', {
      body: { email: 'a@example.com', password: 'short', tenantName: '' },
    })
    const byPath = Object.fromEntries(body.error.details.map((d) => [d.path, d]))
    expect(byPath.tenantName).toMatchObject({ code: 'too_small', minimum: 1, origin: 'string' })
    expect(byPath.password).toMatchObject({ code: 'too_small', minimum: 8, origin: 'string' })
  })
})

describe('tenant currency setting', () => {
  it('is stored in settings.currency for the caller tenant only, and must be an ISO 4217 code', async () => {
    const owner = await signUp()
    const other = await signUp()
    const set = await api<{ settings: Record<string, unknown> }>('/v1/tenant', { method: 'PATCH', token: owner.accessToken, body: { settings: { currency: 'CLP' } } })
    expect(set.res.status).toBe(200)
    expect(set.body.settings.currency).toBe('CLP')
    expect((await api<{ settings: Record<string, unknown> }>('/v1/tenant', { token: other.accessToken })).body.settings.currency).toBeUndefined()
    const me = await api<{ tenant: { settings: Record<string, unknown> } }>('/v1/auth/me', { token: owner.accessToken })
    expect(me.body.tenant.settings.currency).toBe('CLP')

    const bad = await api<{ error: { code: string; details: { path: string }[] } }>('/v1/tenant', { method: 'PATCH', token: owner.accessToken, body: { settings: { currency: 'pesos' } } })
    expect(bad.res.status).toBe(400)
    expect(bad.body.error.details.map((d) => d.path)).toEqual(['settings.currency'])
  })
})
