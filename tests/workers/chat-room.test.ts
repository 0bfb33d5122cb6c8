// The chat room through the Worker: messages both ways between a shopper and an agent, history after a restart and
// across hibernation, a resent clientId stored once, the plan's monthly chat quota, and bad frames answered with errors.
import { env } from 'cloudflare:workers'
import { evictDurableObject } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { chatRoom } from '../../workers/chat/rooms'
import { MAX_FRAME_BYTES, MESSAGES_PER_MINUTE } from '../../workers/chat/limits'
import { openShop } from './commerce-helpers'
import { agentSocket, shopperSocket, startChat } from './chat-helpers'
import { onOwnPlan } from './helpers'
import { eventually } from './ai-helpers'

describe('chat room', () => {
  it('carries messages both ways between the shopper and an agent, each with the next seq', async () => {
    const shop = await openShop()
    const chat = await startChat(shop)
    const shopper = await shopperSocket(shop, chat)
    expect(shopper.history).toMatchObject({ messages: [], state: 'assistant' })
    const agent = await agentSocket(shop.owner.accessToken, chat.id)
    expect(await shopper.socket.next('presence')).toMatchObject({ type: 'presence' })

    shopper.socket.send({ type: 'message', clientId: 'c1', text: 'Hola, ¿tienen relojes?' })
    expect(await agent.socket.next('message')).toMatchObject({ message: { seq: 1, role: 'shopper', parts: [{ type: 'text', text: 'Hola, ¿tienen relojes?' }] } })
    agent.socket.send({ type: 'message', clientId: 'a1', text: 'Sí, claro' })
    const reply = await shopper.socket.next('message', 3_000)
    const fromAgent = reply.message.role === 'agent' ? reply : await shopper.socket.next('message')
    expect(fromAgent.message).toMatchObject({ seq: 2, role: 'agent', author: shop.owner.email })
    expect(await shopper.socket.next('handoff')).toMatchObject({ state: 'human', agentName: shop.owner.email })

    agent.socket.send({ type: 'typing' })
    expect(await shopper.socket.next('typing')).toMatchObject({ role: 'agent' })
    shopper.socket.close()
    agent.socket.close()
  })

  it('stores a resent clientId once and keeps history across a restart of the object', async () => {
    const shop = await openShop()
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'same', text: 'first' })
    socket.send({ type: 'message', clientId: 'same', text: 'first' })
    const first = await socket.next('message')
    const again = await socket.next('message')
    expect(again.message.seq).toBe(first.message.seq)
    socket.close()

    await evictDurableObject(chatRoom(env, shop.owner.tenant.id, chat.id))
    const reopened = await shopperSocket(shop, chat)
    expect(reopened.history.messages.map((m) => m.clientId)).toEqual(['same'])
    reopened.socket.send({ type: 'message', clientId: 'next', text: 'second' })
    expect((await reopened.socket.next('message')).message.seq).toBe(2)
    const since = await shopperSocket(shop, chat, 1)
    expect(since.history.messages.map((m) => m.seq)).toEqual([2])
    reopened.socket.close()
    since.socket.close()
  })

  it('keeps its sockets across hibernation: the room wakes with them and delivers', async () => {
    const shop = await openShop()
    const chat = await startChat(shop)
    const shopper = await shopperSocket(shop, chat)
    const agent = await agentSocket(shop.owner.accessToken, chat.id)
    await evictDurableObject(chatRoom(env, shop.owner.tenant.id, chat.id))
    agent.socket.send({ type: 'message', clientId: 'after-sleep', text: 'still here' })
    const delivered = await shopper.socket.next('message')
    expect(delivered.message).toMatchObject({ role: 'agent', clientId: 'after-sleep' })
    shopper.socket.close()
    agent.socket.close()
  })

  it('answers oversized, malformed and too frequent frames with error events and keeps serving', async () => {
    const shop = await openShop()
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send('x'.repeat(MAX_FRAME_BYTES + 1))
    expect(await socket.next('error')).toMatchObject({ code: 'message_too_large' })
    socket.send('{not json')
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_message' })
    socket.send(JSON.stringify({ type: 'message', clientId: 'x', text: '' }))
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_message' })
    socket.send(JSON.stringify({ type: 'hello', lastSeq: -1 }))
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_message' })
    for (let i = 0; i < MESSAGES_PER_MINUTE + 1; i++) socket.send({ type: 'message', clientId: `burst-${i}`, text: `n${i}` })
    expect(await socket.next('error', 5_000)).toMatchObject({ code: 'rate_limited' })
    for (let i = 0; i < MESSAGES_PER_MINUTE; i++) await socket.next('message', 5_000)
    socket.send({ type: 'hello', lastSeq: 0 })
    expect((await socket.next('history')).messages).toHaveLength(MESSAGES_PER_MINUTE)
    socket.close()
  })

  it('answers quota_exceeded once the plan\'s monthly chat messages are used up', async () => {
    const shop = await openShop()
    await onOwnPlan(shop.owner, 'Two chats', { monthlyChatMessages: 2 })
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q1', text: 'one' })
    await socket.next('message')
    socket.send({ type: 'message', clientId: 'q2', text: 'two' })
    await socket.next('message')
    socket.send({ type: 'message', clientId: 'q3', text: 'three' })
    expect(await socket.next('error')).toMatchObject({ code: 'quota_exceeded' })
    socket.close()
  })

  it('publishes the conversation and its messages to Postgres through the outbox', async () => {
    const shop = await openShop()
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'pg', text: 'to postgres' })
    await socket.next('message')
    socket.close()
    const rows = await eventually(async () => {
      const client = createDatabase({ url: env.DATABASE_URL })
      try {
        const result = await client.db.execute<{ seq: number; role: string }>(sql`select seq, role from chat_messages where conversation_id = ${chat.id}`)
        return result.rows.length > 0 ? result.rows : undefined
      } finally {
        await client.close()
      }
    })
    expect(rows).toEqual([{ seq: 1, role: 'shopper' }])
  })
})
