// Issue 13, finding 4: a live WebSocket is closed when its API key is revoked, its member is removed or its access
// token expires, and receives nothing afterwards.
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../workers/auth/access-token'
import { staleCredentials } from '../../durable-objects/lib/credential-recheck'
import { CLOSE_CREDENTIAL_EXPIRED, CLOSE_CREDENTIAL_REVOKED } from '../../durable-objects/lib/socket-credentials'
import { addMember, api, BASE, createKey, signUp, type Account } from './helpers'
import { subscriberOf, within, type Subscriber } from './stock-subscriber'

async function follow(credential: string): Promise<Subscriber> {
  const response = await SELF.fetch(`${BASE}/v1/inventory/live`, { headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': `vitrina.inventory, ${credential}` } })
  const subscriber = subscriberOf(response)
  expect(await within(subscriber.next(), 2_000)).toMatchObject({ type: 'stock.snapshot' })
  return subscriber
}

const adjust = (owner: Account, delta: number) =>
  api('/v1/inventory/adjust', { token: owner.accessToken, body: { lines: [{ sku: 'LAMP', delta }] }, headers: { 'idempotency-key': crypto.randomUUID() } })

async function shopWithStock(): Promise<Account> {
  const owner = await signUp()
  await api('/v1/inventory/skus', { token: owner.accessToken, body: { skus: [{ sku: 'LAMP' }] }, headers: { 'idempotency-key': crypto.randomUUID() } })
  return owner
}

/** Resolves after a change made now has had time to reach every socket still open. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

describe('live sockets follow their credential', { timeout: 30_000 }, () => {
  it("closes a revoked key's socket at once, and it gets nothing after", async () => {
    const owner = await shopWithStock()
    const key = await createKey(owner, ['read'])
    const other = await createKey(owner, ['read'])
    const revokedSocket = await follow(key.key)
    const keptSocket = await follow(other.key)

    expect((await api(`/v1/api-keys/${key.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect(await within(revokedSocket.closed, 2_000)).toMatchObject({ code: CLOSE_CREDENTIAL_REVOKED })
    expect((await adjust(owner, 3)).res.status).toBe(200)
    expect(await within(keptSocket.next(), 2_000)).toMatchObject({ type: 'stock.changed' })
    await settle()
    expect(revokedSocket.pending()).toEqual([])
    keptSocket.close()
  })

  it("closes a removed member's socket and the sockets of keys they created", async () => {
    const owner = await shopWithStock()
    const admin = await addMember(owner, 'admin')
    const adminKey = await createKey(admin, ['read'])
    const byToken = await follow(admin.accessToken)
    const byKey = await follow(adminKey.key)
    const ownerSocket = await follow(owner.accessToken)

    expect((await api(`/v1/members/${admin.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect(await within(byToken.closed, 2_000)).toMatchObject({ code: CLOSE_CREDENTIAL_REVOKED })
    expect(await within(byKey.closed, 2_000)).toMatchObject({ code: CLOSE_CREDENTIAL_REVOKED })
    await adjust(owner, 1)
    expect(await within(ownerSocket.next(), 2_000)).toMatchObject({ type: 'stock.changed' })
    await settle()
    expect([...byToken.pending(), ...byKey.pending()]).toEqual([])
    const reopened = await SELF.fetch(`${BASE}/v1/inventory/live?token=${admin.accessToken}`, { headers: { Upgrade: 'websocket' } })
    expect(reopened.status).toBe(401)
    ownerSocket.close()
  })

  it('closes a socket when its access token expires', async () => {
    const owner = await shopWithStock()
    const now = Math.floor(Date.now() / 1000)
    const shortLived = await signAccessToken({ userId: owner.user.id, tenantId: owner.tenant.id, role: 'owner' }, env.JWT_SECRET, now - ACCESS_TOKEN_TTL_SECONDS + 2)
    const socket = await follow(shortLived)
    expect(await within(socket.closed, 8_000)).toMatchObject({ code: CLOSE_CREDENTIAL_EXPIRED })
    await adjust(owner, 2)
    await settle()
    expect(socket.pending()).toEqual([])
  })

  it('the periodic re-check names revoked keys and removed members, and only those', async () => {
    const owner = await signUp()
    const member = await addMember(owner, 'member')
    const kept = await createKey(owner, ['read'])
    const revoked = await createKey(owner, ['read'])
    await api(`/v1/api-keys/${revoked.id}`, { token: owner.accessToken, method: 'DELETE' })
    await api(`/v1/members/${member.user.id}`, { token: owner.accessToken, method: 'DELETE' })
    const stale = await staleCredentials({ url: env.DATABASE_URL }, owner.tenant.id, { userIds: [owner.user.id, member.user.id], keyIds: [kept.id, revoked.id] })
    expect(stale).toEqual({ userIds: [member.user.id], keyIds: [revoked.id] })
    const elsewhere = await staleCredentials({ url: env.DATABASE_URL }, crypto.randomUUID(), { userIds: [owner.user.id], keyIds: [kept.id] })
    expect(elsewhere).toEqual({ userIds: [owner.user.id], keyIds: [kept.id] })
  })
})
