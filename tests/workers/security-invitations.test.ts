// Issue 13, finding 2: nobody plants a password on someone else's account. People join through single-use invitations,
// registration never takes over an email, and an unverified account cannot join another tenant.
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { plantVerificationToken, runSql, verifyEmailOf } from './email-helpers'
import { addMember, api, clientIp, createKey, invite, signUp, unique } from './helpers'

const login = (email: string, password: string, tenant?: string) =>
  api('/v1/auth/login', { body: { email, password, ...(tenant ? { tenant } : {}) }, headers: { 'cf-connecting-ip': clientIp() } })

describe('invitations', { timeout: 20_000 }, () => {
  it('creates a 7-day single-use link, lists it as pending, and lets someone new join with their own password', async () => {
    const owner = await signUp()
    const email = `${unique('new')}@example.com`
    const created = await api<{ id: string; email: string; role: string; expiresAt: string; url: string; status: string }>('/v1/members/invitations', {
      token: owner.accessToken,
      body: { email, role: 'member' },
    })
    expect(created.res.status).toBe(201)
    expect(created.body).toMatchObject({ email, role: 'member', status: 'pending' })
    expect(created.body.url).toMatch(/^http:\/\/vitrina\.test\/invite\/vi_[A-Za-z0-9_-]{43}$/)
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(6.99)
    expect(days).toBeLessThanOrEqual(7)
    const listed = await api<{ data: { id: string; status: string }[] }>('/v1/members/invitations', { token: owner.accessToken })
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id, status: 'pending' })])
    expect(JSON.stringify(listed.body)).not.toContain(created.body.url)

    const token = created.body.url.split('/invite/')[1] ?? ''
    const accepted = await api(`/v1/invitations/${token}/accept`, { body: { password: 'my own password' } })
    expect(accepted.res.status).toBe(200)
    expect(accepted.body).toMatchObject({ role: 'member', tenant: { id: owner.tenant.id }, user: { email }, tokenType: 'Bearer' })
    expect((await login(email, 'my own password')).res.status).toBe(200)

    const reused = await api(`/v1/invitations/${token}/accept`, { body: { password: 'another password' } })
    expect(reused.res.status).toBe(410)
    expect(reused.body).toMatchObject({ error: { code: 'invitation_used' } })
    expect((await api<{ data: unknown[] }>('/v1/members/invitations', { token: owner.accessToken })).body.data).toEqual([])

    const log = await api<{ data: { action: string }[] }>('/v1/audit-log', { token: owner.accessToken })
    expect(log.body.data.map((e) => e.action)).toEqual(expect.arrayContaining(['invitation.created', 'invitation.accepted']))
  })

  it('refuses expired, revoked and unknown links, and a pending duplicate', async () => {
    const owner = await signUp()
    const expired = await invite(owner, `${unique('late')}@example.com`, 'viewer')
    await runSql(sql`update invitations set expires_at = now() - interval '1 second' where id = ${expired.id}::uuid`)
    const late = await api(`/v1/invitations/${expired.token}/accept`, { body: { password: 'a good password' } })
    expect(late.res.status).toBe(410)
    expect(late.body).toMatchObject({ error: { code: 'invitation_expired' } })

    const email = `${unique('revoked')}@example.com`
    const revoked = await invite(owner, email, 'viewer')
    const duplicate = await api('/v1/members/invitations', { token: owner.accessToken, body: { email, role: 'admin' } })
    expect(duplicate.res.status).toBe(409)
    expect(duplicate.body).toMatchObject({ error: { code: 'invitation_pending' } })
    expect((await api(`/v1/members/invitations/${revoked.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(`/v1/members/invitations/${revoked.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(404)
    const gone = await api(`/v1/invitations/${revoked.token}/accept`, { body: { password: 'a good password' } })
    expect(gone.res.status).toBe(410)
    expect(gone.body).toMatchObject({ error: { code: 'invitation_revoked' } })
    expect((await api('/v1/invitations/vi_unknown/accept', { body: { password: 'a good password' } })).res.status).toBe(404)
    expect((await api(`/v1/invitations/${expired.token}/accept`, { body: {} })).res.status).toBe(400)

    const log = await api<{ data: { action: string }[] }>('/v1/audit-log', { token: owner.accessToken })
    expect(log.body.data.map((e) => e.action)).toContain('invitation.revoked')
  })

  it('lets the signed-in account of the invited email join, and no other account', async () => {
    const shop = await signUp()
    const invitee = await signUp()
    const stranger = await signUp()
    await verifyEmailOf(invitee)
    await verifyEmailOf(stranger)
    const invitation = await invite(shop, invitee.email, 'admin')

    const wrong = await api(`/v1/invitations/${invitation.token}/accept`, { token: stranger.accessToken, body: {} })
    expect(wrong.res.status).toBe(403)
    expect(wrong.body).toMatchObject({ error: { code: 'invitation_email_mismatch' } })
    expect((await api(`/v1/invitations/${invitation.token}/accept`, { token: 'not-a-token', body: {} })).res.status).toBe(401)
    const byPassword = await api(`/v1/invitations/${invitation.token}/accept`, { body: { password: 'attacker chosen' } })
    expect(byPassword.res.status).toBe(409)
    expect(byPassword.body).toMatchObject({ error: { code: 'account_exists' } })
    expect((await login(invitee.email, 'attacker chosen')).res.status).toBe(401)

    const joined = await api(`/v1/invitations/${invitation.token}/accept`, { token: invitee.accessToken, body: {} })
    expect(joined.res.status).toBe(200)
    expect(joined.body).toMatchObject({ tenant: { id: shop.tenant.id }, role: 'admin', user: { id: invitee.user.id } })
  })

  it('refuses an unverified account into another tenant until its email is verified', async () => {
    const shop = await signUp()
    const invitee = await signUp()
    const invitation = await invite(shop, invitee.email, 'member')
    const refused = await api(`/v1/invitations/${invitation.token}/accept`, { token: invitee.accessToken, body: {} })
    expect(refused.res.status).toBe(403)
    expect(refused.body).toMatchObject({ error: { code: 'email_unverified' } })

    const token = await plantVerificationToken(invitee.user.id, invitee.email)
    expect((await api('/v1/auth/verify-email', { body: { token } })).res.status).toBe(401)
    expect((await api('/v1/auth/verify-email', { token: shop.accessToken, body: { token } })).res.status).toBe(400)
    expect((await api('/v1/auth/verify-email', { token: invitee.accessToken, body: { token } })).res.status).toBe(200)
    expect((await api('/v1/auth/verify-email', { token: invitee.accessToken, body: { token } })).res.status).toBe(400)
    expect((await api(`/v1/invitations/${invitation.token}/accept`, { token: invitee.accessToken, body: {} })).res.status).toBe(200)
  })

  it("stops the two-tenant pre-hijack: A's admin creating x@ cannot reach tenant B through it", async () => {
    const shopA = await signUp()
    const shopB = await signUp()
    const victim = `${unique('x')}@example.com`
    const planted = await invite(shopA, victim, 'viewer')
    const plantedPassword = 'chosen by tenant A'
    expect((await api(`/v1/invitations/${planted.token}/accept`, { body: { password: plantedPassword } })).res.status).toBe(200)

    const intoB = await invite(shopB, victim, 'admin')
    const asPlanted = await login(victim, plantedPassword)
    expect(asPlanted.res.status).toBe(200)
    const accessToken = (asPlanted.body as { accessToken: string }).accessToken
    const hijack = await api(`/v1/invitations/${intoB.token}/accept`, { token: accessToken, body: {} })
    expect(hijack.res.status).toBe(403)
    expect(hijack.body).toMatchObject({ error: { code: 'email_unverified' } })
    const overwrite = await api(`/v1/invitations/${intoB.token}/accept`, { body: { password: 'second try' } })
    expect(overwrite.res.status).toBe(409)
    expect((await login(victim, plantedPassword, shopB.tenant.id)).res.status).toBe(401)
    expect((await login(victim, 'second try')).res.status).toBe(401)

    // The verification link goes to the real inbox and only works signed in as the account, so the real owner
    // clicking it (without the planted password) verifies nothing, and the planter never sees it.
    const link = await plantVerificationToken((asPlanted.body as { user: { id: string } }).user.id, victim)
    expect((await api('/v1/auth/verify-email', { body: { token: link } })).res.status).toBe(401)
    expect((await api('/v1/auth/verify-email', { token: shopB.accessToken, body: { token: link } })).res.status).toBe(400)
    expect((await api(`/v1/invitations/${intoB.token}/accept`, { token: accessToken, body: {} })).res.status).toBe(403)
  })

  it('registration with an existing email takes nothing over', async () => {
    const owner = await signUp()
    const again = await api('/v1/auth/register', { body: { email: owner.email.toUpperCase(), password: 'attacker password', tenantName: 'Hijack' } })
    expect(again.res.status).toBe(409)
    expect((await login(owner.email, 'attacker password')).res.status).toBe(401)
    expect((await login(owner.email, owner.password)).res.status).toBe(200)
  })

  it('only owners and admins invite (owners alone invite owners); keys never do', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const member = await addMember(owner, 'member')
    const key = await createKey(owner, ['admin'])
    const body = { email: `${unique('p')}@example.com`, role: 'viewer' }
    expect((await api('/v1/members/invitations', { token: member.accessToken, body })).res.status).toBe(403)
    expect((await api('/v1/members/invitations', { apiKey: key.key, body })).res.status).toBe(403)
    expect((await api('/v1/members/invitations', { token: admin.accessToken, body: { ...body, role: 'owner' } })).res.status).toBe(403)
    expect((await api('/v1/members/invitations', { token: admin.accessToken, body })).res.status).toBe(201)
    expect((await api('/v1/members/invitations', { token: member.accessToken })).res.status).toBe(403)
    expect((await api('/v1/members/invitations', { token: owner.accessToken, body: { email: 'not-an-email', role: 'viewer' } })).res.status).toBe(400)
  })

  it("keeps tenants apart: A can neither see nor revoke B's invitations", async () => {
    const a = await signUp()
    const b = await signUp()
    const bInvitation = await invite(b, `${unique('b')}@example.com`, 'member')
    await invite(a, `${unique('a')}@example.com`, 'member')
    const listed = await api<{ data: { id: string }[] }>('/v1/members/invitations', { token: a.accessToken })
    expect(listed.body.data.map((i) => i.id)).not.toContain(bInvitation.id)
    expect(listed.body.data).toHaveLength(1)
    const revoke = await api(`/v1/members/invitations/${bInvitation.id}`, { token: a.accessToken, method: 'DELETE' })
    expect(revoke.res.status).toBe(404)
    const stillThere = await api<{ data: { id: string }[] }>('/v1/members/invitations', { token: b.accessToken })
    expect(stillThere.body.data.map((i) => i.id)).toContain(bInvitation.id)
    const accepted = await api(`/v1/invitations/${bInvitation.token}/accept`, { token: a.accessToken, body: {} })
    expect(accepted.res.status).toBe(403)
  })
})
