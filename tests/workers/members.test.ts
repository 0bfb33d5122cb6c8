// Members and roles: owners and admins manage people, only owners touch the owner role, and the last owner stays.
import { describe, expect, it } from 'vitest'
import { verifyEmailOf } from './email-helpers'
import { addMember, api, clientIp, invite, signUp, unique } from './helpers'

describe('members', () => {
  it('adds a new person who can then sign in with the given role', async () => {
    const owner = await signUp()
    const member = await addMember(owner, 'member')
    const me = await api('/v1/auth/me', { token: member.accessToken })
    expect(me.body).toMatchObject({ role: 'member', tenant: { id: owner.tenant.id } })
    const list = await api<{ data: { role: string; user: { email: string } }[] }>('/v1/members', { token: member.accessToken })
    expect(list.body.data.map((m) => m.role).sort()).toEqual(['member', 'owner'])
  })

  it('adds an existing, verified user of another tenant through an invitation; they can then sign in to either', async () => {
    const shopA = await signUp()
    const shopB = await signUp()
    await verifyEmailOf(shopB)
    const invitation = await invite(shopA, shopB.email, 'viewer')
    const accepted = await api(`/v1/invitations/${invitation.token}/accept`, { token: shopB.accessToken, body: {} })
    expect(accepted.res.status).toBe(200)
    expect(accepted.body).toMatchObject({ tenant: { id: shopA.tenant.id }, role: 'viewer', user: { id: shopB.user.id } })
    const intoA = await api('/v1/auth/login', { body: { email: shopB.email, password: shopB.password, tenant: shopA.tenant.slug }, headers: { 'cf-connecting-ip': clientIp() } })
    expect(intoA.body).toMatchObject({ tenant: { id: shopA.tenant.id }, role: 'viewer' })
    const intoB = await api('/v1/auth/login', { body: { email: shopB.email, password: shopB.password }, headers: { 'cf-connecting-ip': clientIp() } })
    expect(intoB.body).toMatchObject({ tenant: { id: shopB.tenant.id }, role: 'owner' })
    const again = await api('/v1/members/invitations', { token: shopA.accessToken, body: { email: shopB.email, role: 'viewer' } })
    expect(again.res.status).toBe(409)
    expect(again.body).toMatchObject({ error: { code: 'already_member' } })
  })

  it('no longer adds people directly: POST /v1/members is gone', async () => {
    const owner = await signUp()
    const { res } = await api('/v1/members', { token: owner.accessToken, body: { email: `${unique('direct')}@example.com`, role: 'member', password: 'a password here' } })
    expect(res.status).toBe(405)
  })

  it('keeps the last owner: no removal, no demotion', async () => {
    const owner = await signUp()
    const demote = await api(`/v1/members/${owner.user.id}`, { token: owner.accessToken, method: 'PATCH', body: { role: 'admin' } })
    expect(demote.res.status).toBe(409)
    expect(demote.body).toMatchObject({ error: { code: 'last_owner' } })
    expect((await api(`/v1/members/${owner.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(409)

    const second = await addMember(owner, 'admin')
    expect((await api(`/v1/members/${second.user.id}`, { token: owner.accessToken, method: 'PATCH', body: { role: 'owner' } })).res.status).toBe(200)
    expect((await api(`/v1/members/${owner.user.id}`, { token: owner.accessToken, method: 'PATCH', body: { role: 'admin' } })).res.status).toBe(200)
  })

  it('lets only owners touch the owner role, and only managers manage', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const viewer = await addMember(owner, 'viewer')
    expect((await api('/v1/members/invitations', { token: admin.accessToken, body: { email: `${unique('o')}@example.com`, role: 'owner' } })).res.status).toBe(403)
    expect((await api(`/v1/members/${owner.user.id}`, { token: admin.accessToken, method: 'DELETE' })).res.status).toBe(403)
    expect((await api(`/v1/members/${viewer.user.id}`, { token: admin.accessToken, method: 'PATCH', body: { role: 'member' } })).res.status).toBe(200)
    expect((await api(`/v1/members/${admin.user.id}`, { token: viewer.accessToken, method: 'DELETE' })).res.status).toBe(403)
  })

  it('ends the sessions of a removed member', async () => {
    const owner = await signUp()
    const member = await addMember(owner, 'member')
    expect((await api(`/v1/members/${member.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api('/v1/auth/refresh', { body: { refreshToken: member.refreshToken } })).res.status).toBe(401)
    expect((await api(`/v1/members/${member.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)
  })
})

describe('audit log', () => {
  it('records key, member and settings actions, newest first, with cursor pagination', async () => {
    const owner = await signUp()
    const key = await api<{ id: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: 'pos', scopes: ['write'] } })
    await api(`/v1/api-keys/${key.body.id}`, { token: owner.accessToken, method: 'DELETE' })
    const member = await addMember(owner, 'viewer')
    await api(`/v1/members/${member.user.id}`, { token: owner.accessToken, method: 'PATCH', body: { role: 'member' } })
    await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { settings: { currency: 'MXN' } } })

    const actions: string[] = []
    let cursor: string | null = null
    do {
      const page: { body: { data: { action: string; actorId: string }[]; nextCursor: string | null } } = await api(
        `/v1/audit-log?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: owner.accessToken },
      )
      expect(page.body.data.length).toBeLessThanOrEqual(2)
      for (const entry of page.body.data) {
        expect(entry.actorId).toBe(entry.action === 'invitation.accepted' ? member.user.id : owner.user.id)
        actions.push(entry.action)
      }
      cursor = page.body.nextCursor
    } while (cursor)
    expect(actions).toEqual(['tenant.updated', 'member.role_changed', 'invitation.accepted', 'invitation.created', 'api_key.revoked', 'api_key.created'])
    expect((await api('/v1/audit-log?cursor=not-a-cursor', { token: owner.accessToken })).res.status).toBe(400)
  })

  it('merges settings and validates them', async () => {
    const owner = await signUp()
    await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { settings: { a: 1 } } })
    const merged = await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { name: 'New name', settings: { b: 2 } } })
    expect(merged.body).toMatchObject({ name: 'New name', settings: { a: 1, b: 2 } })
    expect((await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: {} })).res.status).toBe(400)
  })
})
