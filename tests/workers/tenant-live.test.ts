// The tenant's realtime channel (GET /v1/tenant/live) with real WebSockets in workerd: refused before the upgrade, a
// handoff reaches only its own tenant's members, a notification only its own member, a removed or demoted member's
// socket and an expired token's close, and the snapshot is right after the objects restart.
import { env, evictDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../workers/auth/access-token'
import { CLOSE_CREDENTIAL_EXPIRED, CLOSE_CREDENTIAL_REVOKED } from '../../durable-objects/lib/socket-credentials'
import { parseTenantMessage, type TenantServerMessage } from '../../durable-objects/tenant-channel/protocol'
import { recordEvent, type DomainEventType } from '../../workers/commerce/events'
import { chatRoom } from '../../workers/chat/rooms'
import { createDatabase } from '../../workers/db/client'
import { tenantChannel } from '../../workers/realtime/tenant-channel'
import { dispatchEvents } from '../../workers/webhooks/endpoints'
import { shopperSocket, startChat } from './chat-helpers'
import { openShop } from './commerce-helpers'
import { addMember, api, BASE, createKey, type Account } from './helpers'

type Of<T extends TenantServerMessage['type']> = Extract<TenantServerMessage, { type: T }>

/** A member's channel socket, one message at a time. */
interface ChannelSocket {
  next<T extends TenantServerMessage['type']>(type: T, match?: (message: Of<T>) => boolean, timeoutMs?: number): Promise<Of<T>>
  pending(): TenantServerMessage[]
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

function upgrade(headers: Record<string, string>, query = ''): Promise<Response> {
  return SELF.fetch(`${BASE}/v1/tenant/live${query}`, { headers: { Upgrade: 'websocket', ...headers } })
}

function channelSocketOf(response: Response): ChannelSocket {
  const socket = response.webSocket
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`)
  const queue: TenantServerMessage[] = []
  socket.addEventListener('message', (event) => {
    const message = parseTenantMessage(event.data)
    if (message) queue.push(message)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })))
  socket.accept()
  const next = async <T extends TenantServerMessage['type']>(type: T, match: (message: Of<T>) => boolean = () => true, timeoutMs = 5_000): Promise<Of<T>> => {
    const until = Date.now() + timeoutMs
    for (;;) {
      const index = queue.findIndex((m) => m.type === type && match(m as Of<T>))
      if (index >= 0) return queue.splice(index, 1)[0] as Of<T>
      if (Date.now() > until) throw new Error(`no matching ${type} within ${timeoutMs} ms; queued: ${JSON.stringify(queue)}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  return { next, pending: () => [...queue], closed, close: () => socket.close(1000, 'done') }
}

/** Opens `account`'s socket as the admin UI does (token offered beside vitrina.tenant, same origin) and takes the hello. */
async function follow(account: Account): Promise<{ socket: ChannelSocket; hello: Of<'hello'> }> {
  const response = await upgrade({ origin: BASE, 'Sec-WebSocket-Protocol': `vitrina.tenant, ${account.accessToken}` })
  expect(response.headers.get('sec-websocket-protocol')).toBe('vitrina.tenant')
  const socket = channelSocketOf(response)
  return { socket, hello: await socket.next('hello') }
}

async function emit(tenantId: string, type: DomainEventType, data: Record<string, unknown>): Promise<void> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    await client.db.transaction((tx) => recordEvent(tx, { tenantId, type, subjectType: 'test', subjectId: crypto.randomUUID(), data }))
  } finally {
    await client.close()
  }
  await dispatchEvents(env, tenantId, [type])
}

/** Lets anything still on its way reach the sockets that are open. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500))

describe('GET /v1/tenant/live', { timeout: 40_000 }, () => {
  it('refuses before the upgrade: no or a bad token, an API key, a foreign Origin, plain HTTP', async () => {
    const shop = await openShop()
    const key = await createKey(shop.owner, ['read'])
    expect((await upgrade({})).status).toBe(401)
    expect((await upgrade({ 'Sec-WebSocket-Protocol': 'vitrina.tenant, not-a-token' })).status).toBe(401)
    const byKey = await upgrade({ 'Sec-WebSocket-Protocol': `vitrina.tenant, ${key.key}` })
    expect(byKey.status).toBe(403)
    const foreign = await upgrade({ origin: 'https://evil.example', 'Sec-WebSocket-Protocol': `vitrina.tenant, ${shop.owner.accessToken}` })
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toMatchObject({ error: { code: 'forbidden', details: { code: 'origin_not_allowed' } } })
    const plain = await api(`/v1/tenant/live?token=${shop.owner.accessToken}`)
    expect(plain.res.status).toBe(400)
    expect(plain.body).toMatchObject({ error: { code: 'invalid_request' } })
    const { socket, hello } = await follow(shop.owner)
    expect(hello).toEqual({ type: 'hello', waiting: 0, unread: 0 })
    socket.close()
  })

  it('keeps tenants apart: a handoff in tenant A reaches A’s members and nothing reaches B’s', async () => {
    const [a, b] = await Promise.all([openShop(), openShop()])
    const admin = await addMember(a.owner, 'admin')
    const [aOwner, aAdmin, bOwner] = await Promise.all([follow(a.owner), follow(admin), follow(b.owner)])
    const chat = await startChat(a)
    expect(await aOwner.socket.next('chat', (m) => m.id === chat.id)).toEqual({ type: 'chat', id: chat.id, state: 'assistant' })

    const shopper = await shopperSocket(a, chat)
    const asked = Date.now()
    shopper.socket.send({ type: 'handoff', reason: 'a person please' })
    for (const member of [aOwner, aAdmin]) {
      expect(await member.socket.next('chat', (m) => m.state === 'waiting')).toEqual({ type: 'chat', id: chat.id, state: 'waiting' })
      expect(await member.socket.next('waiting', (m) => m.count === 1)).toEqual({ type: 'waiting', count: 1 })
    }
    expect(Date.now() - asked).toBeLessThan(2_000)

    const taken = await api(`/v1/chats/${chat.id}/state`, { token: a.owner.accessToken, body: { state: 'human' } })
    expect(taken.res.status).toBe(200)
    expect(await aOwner.socket.next('chat', (m) => m.state === 'human')).toMatchObject({ id: chat.id })
    expect(await aOwner.socket.next('waiting', (m) => m.count === 0)).toEqual({ type: 'waiting', count: 0 })
    await settle()
    expect(bOwner.socket.pending()).toEqual([])
    for (const socket of [aOwner.socket, aAdmin.socket, bOwner.socket, shopper.socket]) socket.close()
  })

  it('sends a new notification’s unread count to its member only, and the count after marking read', async () => {
    const shop = await openShop()
    const admin = await addMember(shop.owner, 'admin')
    const [owner, other] = await Promise.all([follow(shop.owner), follow(admin)])
    // stock.out goes to owners in the app by default, not to admins.
    await emit(shop.owner.tenant.id, 'stock.out', { version: 1, sku: 'MUG', location: 'main', onHand: 0, reserved: 0, available: 0 })
    expect(await owner.socket.next('notifications')).toEqual({ type: 'notifications', unread: 1 })

    expect((await api('/v1/notifications/read', { token: shop.owner.accessToken, body: { all: true } })).res.status).toBe(200)
    expect(await owner.socket.next('notifications')).toEqual({ type: 'notifications', unread: 0 })
    await settle()
    expect(other.socket.pending()).toEqual([])
    owner.socket.close()
    other.socket.close()
  })

  it('closes the socket of a member who is removed, and of one who is demoted', async () => {
    const shop = await openShop()
    const [removed, demoted] = await Promise.all([addMember(shop.owner, 'admin'), addMember(shop.owner, 'admin')])
    const [removedSocket, demotedSocket, ownerSocket] = await Promise.all([follow(removed), follow(demoted), follow(shop.owner)])

    expect((await api(`/v1/members/${removed.user.id}`, { token: shop.owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect(await removedSocket.socket.closed).toMatchObject({ code: CLOSE_CREDENTIAL_REVOKED })
    expect((await api(`/v1/members/${demoted.user.id}`, { token: shop.owner.accessToken, method: 'PATCH', body: { role: 'member' } })).res.status).toBe(200)
    expect(await demotedSocket.socket.closed).toMatchObject({ code: CLOSE_CREDENTIAL_REVOKED })
    expect((await upgrade({ 'Sec-WebSocket-Protocol': `vitrina.tenant, ${removed.accessToken}` })).status).toBe(401)

    const chat = await startChat(shop)
    expect(await ownerSocket.socket.next('chat', (m) => m.id === chat.id)).toMatchObject({ state: 'assistant' })
    ownerSocket.socket.close()
  })

  it('closes a socket when its access token expires', async () => {
    const shop = await openShop()
    const now = Math.floor(Date.now() / 1000)
    const accessToken = await signAccessToken({ userId: shop.owner.user.id, tenantId: shop.owner.tenant.id, role: 'owner' }, env.JWT_SECRET, now - ACCESS_TOKEN_TTL_SECONDS + 2)
    const { socket } = await follow({ ...shop.owner, accessToken })
    expect(await socket.closed).toMatchObject({ code: CLOSE_CREDENTIAL_EXPIRED })
  })

  it('answers the right snapshot after the channel and the chat room restart', async () => {
    const shop = await openShop()
    const tenantId = shop.owner.tenant.id
    const before = await follow(shop.owner)
    const chat = await startChat(shop)
    const shopper = await shopperSocket(shop, chat)
    shopper.socket.send({ type: 'handoff' })
    await before.socket.next('waiting', (m) => m.count === 1)
    // The handoff's own chat.handoff_requested event is the owner's first notification.
    await before.socket.next('notifications', (m) => m.unread === 1)
    await emit(tenantId, 'stock.out', { version: 1, sku: 'CUP', location: 'main', onHand: 0, reserved: 0, available: 0 })
    await before.socket.next('notifications', (m) => m.unread === 2)
    before.socket.close()
    shopper.socket.close()

    await evictDurableObject(tenantChannel(env, tenantId))
    await evictDurableObject(chatRoom(env, tenantId, chat.id))
    const after = await follow(shop.owner)
    expect(after.hello).toEqual({ type: 'hello', waiting: 1, unread: 2 })
    // The restarted room still announces its changes to the restarted channel.
    expect((await api(`/v1/chats/${chat.id}/state`, { token: shop.owner.accessToken, body: { state: 'closed' } })).res.status).toBe(200)
    expect(await after.socket.next('waiting', (m) => m.count === 0)).toEqual({ type: 'waiting', count: 0 })
    after.socket.close()
  })
})
