// Issue 13, finding 1: roles live in the membership, not the token. A removed admin's old token can neither re-add
// them nor mint keys, the keys they created stop working, and nobody raises their own role.
import { describe, expect, it } from 'vitest'
import { addMember, api, createKey, invite, signUp, unique } from './helpers'

describe('roles are live', { timeout: 20_000 }, () => {
  it('a removed admin with an old token cannot re-add themselves or mint keys, and their keys are revoked', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const minted = await createKey(admin, ['admin'])
    expect((await api('/v1/tenant', { apiKey: minted.key })).res.status).toBe(200)
    const ownersKey = await createKey(owner, ['read'])

    expect((await api(`/v1/members/${admin.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)

    const reinvite = await api('/v1/members/invitations', { token: admin.accessToken, body: { email: admin.email, role: 'admin' } })
    expect(reinvite.res.status).toBe(401)
    expect(reinvite.body).toMatchObject({ error: { code: 'membership_revoked' } })
    const mint = await api('/v1/api-keys', { token: admin.accessToken, body: { name: 'backdoor', scopes: ['admin'] } })
    expect(mint.res.status).toBe(401)
    expect((await api('/v1/members', { token: admin.accessToken })).res.status).toBe(401)
    expect((await api('/v1/products', { token: admin.accessToken })).res.status).toBe(401)

    expect((await api('/v1/tenant', { apiKey: minted.key })).res.status).toBe(401)
    expect((await api('/v1/tenant', { apiKey: ownersKey.key })).res.status).toBe(200)
    const keys = await api<{ data: { id: string; revokedAt: string | null }[] }>('/v1/api-keys?includeRevoked=true', { token: owner.accessToken })
    expect(keys.body.data.find((k) => k.id === minted.id)?.revokedAt).not.toBeNull()
    const log = await api<{ data: { action: string; details: { revokedKeys?: string[] } }[] }>('/v1/audit-log', { token: owner.accessToken })
    expect(log.body.data.find((e) => e.action === 'member.removed')?.details.revokedKeys).toEqual([minted.id])
  })

  it('a demoted admin gets the new role at once and cannot patch it back', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const minted = await createKey(admin, ['write'])
    expect((await api(`/v1/members/${admin.user.id}`, { token: owner.accessToken, method: 'PATCH', body: { role: 'viewer' } })).res.status).toBe(200)

    const me = await api('/v1/auth/me', { token: admin.accessToken })
    expect(me.body).toMatchObject({ role: 'viewer' })
    const back = await api(`/v1/members/${admin.user.id}`, { token: admin.accessToken, method: 'PATCH', body: { role: 'admin' } })
    expect(back.res.status).toBe(403)
    expect((await api('/v1/api-keys', { token: admin.accessToken, body: { name: 'k', scopes: ['read'] } })).res.status).toBe(403)
    expect((await api('/v1/inventory/skus', { token: admin.accessToken, body: { skus: [{ sku: 'X' }] }, headers: { 'idempotency-key': unique('k') } })).res.status).toBe(403)
    expect((await api('/v1/tenant', { apiKey: minted.key })).res.status).toBe(401)
  })

  it('nobody raises their own role, not even an admin', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const raise = await api(`/v1/members/${admin.user.id}`, { token: admin.accessToken, method: 'PATCH', body: { role: 'owner' } })
    expect(raise.res.status).toBe(403)
    expect((await api(`/v1/members/${admin.user.id}`, { token: admin.accessToken, method: 'PATCH', body: { role: 'member' } })).res.status).toBe(200)
    const regain = await api(`/v1/members/${admin.user.id}`, { token: admin.accessToken, method: 'PATCH', body: { role: 'admin' } })
    expect(regain.res.status).toBe(403)
    const list = await api<{ data: { user: { id: string }; role: string }[] }>('/v1/members', { token: owner.accessToken })
    expect(list.body.data.find((m) => m.user.id === admin.user.id)?.role).toBe('member')
  })

  it('removing a member revokes the invitations they sent', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const sent = await invite(admin, `${unique('accomplice')}@example.com`, 'admin')
    expect((await api(`/v1/members/${admin.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    const accepted = await api(`/v1/invitations/${sent.token}/accept`, { body: { password: 'accomplice password' } })
    expect(accepted.res.status).toBe(410)
    expect(accepted.body).toMatchObject({ error: { code: 'invitation_revoked' } })
  })
})
