// The chat routes: starting conversations (the secret only for publishable keys), the socket's checks before the
// upgrade (credential, secret, tenant, Origin), sockets closed when their key is revoked, lists and transcripts.
import { env } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { publish } from '../../durable-objects/chat-room/postgres'
import type { Conversation } from '../../durable-objects/chat-room/store'
import { createDatabase } from '../../workers/db/client'
import { events } from '../../workers/db/schema/events'
import { addMember, api, type Account } from './helpers'
import { openShop } from './commerce-helpers'
import { agentSocket, chatSocketOf, shopperSocket, startChat, upgradeChat } from './chat-helpers'
import { eventually } from './ai-helpers'

type Page = { data: { id: string; state: string; messageCount: number; waitedMs: number }[]; nextCursor: string | null; waiting: number }

const listChats = (owner: Account, query = '') => api<Page>(`/v1/chats${query}`, { token: owner.accessToken })

type Notifications = { data: { type: string; data: Record<string, unknown> }[] }

/** The `chat.handoff_requested` events of conversation `id` in Postgres. */
async function handoffEvents(tenantId: string, id: string) {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    return await client.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.type, 'chat.handoff_requested'), eq(events.subjectId, id)))
  } finally {
    await client.close()
  }
}

describe('chat routes', () => {
  it('starts conversations: a secret for publishable keys only, carts checked with their secret', async () => {
    const shop = await openShop()
    const pub = await startChat(shop)
    expect(pub.secret).toEqual(expect.any(String))
    const server = await api<{ id: string; secret?: string }>('/v1/chats', { apiKey: shop.serverKey, body: { customerId: crypto.randomUUID() } })
    expect(server.res.status).toBe(201)
    expect(server.body.secret).toBeUndefined()
    expect((await api('/v1/chats', { apiKey: shop.publishableKey, body: { customerId: crypto.randomUUID() } })).res.status).toBe(400)
    expect((await api('/v1/chats', { apiKey: shop.publishableKey, body: { cartId: crypto.randomUUID() } })).res.status).toBe(404)
    const cart = await api<{ id: string; secret: string }>('/v1/carts', { apiKey: shop.publishableKey, body: { currency: 'EUR' } })
    expect((await api('/v1/chats', { apiKey: shop.publishableKey, body: { cartId: cart.body.id } })).res.status).toBe(404)
    const withCart = await startChat(shop, { cartId: cart.body.id }, { 'x-cart-secret': cart.body.secret })
    expect(withCart.id).toEqual(expect.any(String))
    expect((await api('/v1/chats', { apiKey: shop.publishableKey, body: { customerId: 'nope' } })).res.status).toBe(400)
  })

  it('refuses before the upgrade: no credential, wrong secret, a server key, plain HTTP, and a foreign Origin', async () => {
    const shop = await openShop({ storefrontOrigins: ['https://shop.example'] })
    const chat = await startChat(shop)
    const key = encodeURIComponent(shop.publishableKey)
    expect((await upgradeChat(chat.id, '')).status).toBe(401)
    expect((await upgradeChat(chat.id, `key=${key}`)).status).toBe(404)
    expect((await upgradeChat(chat.id, `key=${key}&secret=wrong`)).status).toBe(404)
    expect((await upgradeChat(chat.id, `key=${encodeURIComponent(shop.serverKey)}`)).status).toBe(403)
    expect((await api(`/v1/chats/${chat.id}/live?key=${key}&secret=${chat.secret}`)).res.status).toBe(400)
    const evil = await upgradeChat(chat.id, `key=${key}&secret=${chat.secret}`, { origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    const good = await upgradeChat(chat.id, `key=${key}&secret=${chat.secret}`, { origin: 'https://shop.example' })
    expect(good.status).toBe(101)
    chatSocketOf(good).close()
    const admin = await upgradeChat(chat.id, '', { origin: 'http://vitrina.test', 'Sec-WebSocket-Protocol': `vitrina.chat, ${shop.owner.accessToken}` })
    expect(admin.status).toBe(101)
    expect(admin.headers.get('sec-websocket-protocol')).toBe('vitrina.chat')
    chatSocketOf(admin).close()
  })

  it('keeps tenants apart: another tenant\'s credentials get 404 on every conversation route', async () => {
    const a = await openShop()
    const b = await openShop()
    const chatB = await startChat(b)
    const keyA = encodeURIComponent(a.publishableKey)
    expect((await upgradeChat(chatB.id, `key=${keyA}&secret=${chatB.secret}`)).status).toBe(404)
    expect((await upgradeChat(chatB.id, `token=${a.owner.accessToken}`)).status).toBe(404)
    expect((await api(`/v1/chats/${chatB.id}/messages`, { token: a.owner.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/chats/${chatB.id}/state`, { token: a.owner.accessToken, body: { state: 'human' } })).res.status).toBe(404)
    const cartB = await api<{ id: string }>('/v1/carts', { apiKey: b.serverKey, body: { currency: 'EUR' } })
    expect((await api('/v1/chats', { apiKey: a.serverKey, body: { cartId: cartB.body.id } })).res.status).toBe(404)
    const mine = await startChat(a)
    const listed = await listChats(a.owner)
    expect(listed.body.data.map((c) => c.id)).toEqual([mine.id])
    expect((await listChats(b.owner)).body.data.map((c) => c.id)).toEqual([chatB.id])
  })

  it('records one chat.handoff_requested event per handoff, which reaches the owner\'s notifications and not a member\'s', async () => {
    const shop = await openShop()
    const member = await addMember(shop.owner, 'member')
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'handoff', reason: 'a person please' })
    expect(await socket.next('handoff')).toMatchObject({ state: 'waiting' })
    socket.send({ type: 'handoff', reason: 'still waiting' })
    expect(await socket.next('handoff')).toMatchObject({ state: 'waiting', reason: 'still waiting' })
    const notified = await eventually(async () => {
      const page = await api<Notifications>('/v1/notifications', { token: shop.owner.accessToken })
      return page.body.data.find((n) => n.type === 'chat.handoff_requested')
    })
    expect(notified.data).toMatchObject({ version: 1, conversationId: chat.id, reason: 'a person please', customerId: null, cartId: null })
    const [first] = await handoffEvents(shop.owner.tenant.id, chat.id)
    expect(first).toBeDefined()
    expect((await api<Notifications>('/v1/notifications', { token: member.accessToken })).body.data).toEqual([])
    // A flush whose commit landed but whose room crashed before forgetting the handoff runs again: still one event.
    const stale: Conversation = { tenantId: shop.owner.tenant.id, id: chat.id, customerId: null, cartId: null, secretHash: null, state: 'waiting', agentUserId: null, agentName: null, waitingSince: 0, waitedMs: 0, messageCount: 0, lastMessageAt: null, createdAt: 0, updatedAt: 0, dirty: true }
    await publish({ url: env.DATABASE_URL }, stale, [], { eventId: first?.id ?? '', reason: 'a person please', requestedAt: Date.now() })
    expect(await handoffEvents(shop.owner.tenant.id, chat.id)).toHaveLength(1)

    expect((await api(`/v1/chats/${chat.id}/state`, { token: shop.owner.accessToken, body: { state: 'assistant' } })).res.status).toBe(200)
    expect(await socket.next('handoff')).toMatchObject({ state: 'assistant' })
    socket.send({ type: 'handoff', reason: 'again' })
    expect(await socket.next('handoff')).toMatchObject({ state: 'waiting', reason: 'again' })
    const both = await eventually(async () => {
      const rows = await handoffEvents(shop.owner.tenant.id, chat.id)
      return rows.length === 2 ? rows : undefined
    })
    expect(both.map((row) => row.data.reason).sort()).toEqual(['a person please', 'again'])
    socket.close()
  })

  it('closes a shopper\'s socket when its publishable key is revoked', async () => {
    const shop = await openShop()
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    const keys = await api<{ data: { id: string; type?: string; prefix?: string }[] }>('/v1/api-keys', { token: shop.owner.accessToken })
    const pub = keys.body.data.find((k) => k.type === 'publishable')
    expect(pub).toBeDefined()
    expect((await api(`/v1/api-keys/${pub?.id}`, { token: shop.owner.accessToken, method: 'DELETE' })).res.status).toBeLessThan(300)
    expect(await socket.closed).toMatchObject({ code: 4001 })
  })

  it('lists conversations with filters and pages, counts those waiting, and serves the transcript', async () => {
    const shop = await openShop()
    const first = await startChat(shop)
    const second = await startChat(shop)
    const third = await startChat(shop)
    const { socket } = await shopperSocket(shop, second)
    socket.send({ type: 'message', clientId: 'm1', text: 'hello' })
    await socket.next('message')
    socket.send({ type: 'handoff', reason: 'a person please' })
    expect(await socket.next('handoff')).toMatchObject({ state: 'waiting', reason: 'a person please' })

    const waiting = await eventually(async () => {
      const page = await listChats(shop.owner, '?waiting=true')
      return page.body.data.length === 1 ? page : undefined
    })
    expect(waiting.body).toMatchObject({ data: [{ id: second.id, state: 'waiting' }], waiting: 1 })
    const paged = await listChats(shop.owner, '?limit=2')
    expect(paged.body.data.map((c) => c.id)).toEqual([third.id, second.id])
    const rest = await listChats(shop.owner, `?limit=2&cursor=${paged.body.nextCursor}`)
    expect(rest.body.data.map((c) => c.id)).toEqual([first.id])
    expect((await listChats(shop.owner, '?cursor=garbage')).res.status).toBe(400)
    expect((await api('/v1/chats', { apiKey: shop.publishableKey })).res.status).toBe(403)

    const taken = await api<{ state: string; agentName: string; waitedMs: number }>(`/v1/chats/${second.id}/state`, { token: shop.owner.accessToken, body: { state: 'human' } })
    expect(taken.body).toMatchObject({ state: 'human', agentName: shop.owner.email })
    expect(taken.body.waitedMs).toBeGreaterThanOrEqual(0)
    expect(await socket.next('handoff')).toMatchObject({ state: 'human', agentName: shop.owner.email })
    const transcript = await api<{ data: { seq: number; role: string }[] }>(`/v1/chats/${second.id}/messages`, { token: shop.owner.accessToken })
    expect(transcript.body.data).toMatchObject([{ seq: 1, role: 'shopper' }])
    const closed = await api(`/v1/chats/${second.id}/state`, { token: shop.owner.accessToken, body: { state: 'closed' } })
    expect(closed.res.status).toBe(200)
    socket.send({ type: 'message', clientId: 'm2', text: 'anyone?' })
    expect(await socket.next('error')).toMatchObject({ code: 'conversation_closed' })
    socket.close()
    const agent = await agentSocket(shop.owner.accessToken, second.id)
    expect(agent.history.state).toBe('closed')
    agent.socket.close()
  })
})
