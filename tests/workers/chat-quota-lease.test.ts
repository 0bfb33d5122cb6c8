// Chat rooms pay shopper messages from a lease of the tenant's monthly chat quota: one RateLimiter call per lease, exact
// near the limit across rooms, kept across a restart, and given back when the room goes quiet or closes.
import { env } from 'cloudflare:workers'
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { chatRoom } from '../../workers/chat/rooms'
import { CHAT_QUOTA_LEASE } from '../../workers/chat/limits'
import type { ChatServerMessage } from '../../workers/chat/protocol'
import { openShop, type Shop } from './commerce-helpers'
import { agentSocket, shopperSocket, startChat, type ChatSocket } from './chat-helpers'
import { onOwnPlan } from './helpers'
import { eventually } from './ai-helpers'

/** This month's chat messages counted by the tenant's RateLimiter. */
function quotaUsed(tenantId: string): Promise<number> {
  return runInDurableObject(env.RATE_LIMITER.getByName(`tenant:${tenantId}`), (_instance, state) =>
    state.storage.sql.exec<{ used: number }>("select coalesce(sum(used), 0) as used from quotas where resource = 'chat_messages'").one().used,
  )
}

/** Units of the room's lease left unspent. */
function leaseLeft(shop: Shop, chatId: string): Promise<number> {
  return runInDurableObject(chatRoom(env, shop.owner.tenant.id, chatId), (_instance, state) =>
    state.storage.sql.exec<{ units: number }>('select coalesce(sum(units), 0) as units from quota_lease').one().units,
  )
}

/** Sends one shopper message and answers the room's reply to it: the stored message or an error. */
async function say(socket: ChatSocket, clientId: string): Promise<ChatServerMessage> {
  socket.send({ type: 'message', clientId, text: clientId })
  return nextOutcome(socket)
}

async function nextOutcome(socket: ChatSocket): Promise<ChatServerMessage> {
  for (;;) {
    const frame = await socket.next()
    if (frame.type === 'error' || (frame.type === 'message' && frame.message.role === 'shopper')) return frame
  }
}

/** Waits until `check` holds, running the room's alarm meanwhile (a real alarm may already have run it). */
async function afterAlarm(shop: Shop, chatId: string, check: () => Promise<boolean>): Promise<void> {
  await eventually(async () => {
    await runDurableObjectAlarm(chatRoom(env, shop.owner.tenant.id, chatId))
    return (await check()) ? true : undefined
  })
}

describe('chat quota lease', () => {
  it('takes the quota a lease at a time and gives the unspent units back once the room is quiet', async () => {
    const shop = await openShop()
    await onOwnPlan(shop.owner, 'Many chats', { monthlyChatMessages: 1000 })
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    for (const n of [1, 2, 3]) expect(await say(socket, `m${n}`)).toMatchObject({ type: 'message' })
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(CHAT_QUOTA_LEASE)
    for (let n = 4; n <= CHAT_QUOTA_LEASE; n += 1) expect(await say(socket, `m${n}`)).toMatchObject({ type: 'message' })
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(CHAT_QUOTA_LEASE)
    expect(await leaseLeft(shop, chat.id)).toBe(0)
    expect(await say(socket, 'next-lease')).toMatchObject({ type: 'message' })
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(2 * CHAT_QUOTA_LEASE)
    socket.close()

    const sent = CHAT_QUOTA_LEASE + 1
    await runDurableObjectAlarm(chatRoom(env, shop.owner.tenant.id, chat.id))
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(2 * CHAT_QUOTA_LEASE)
    await runInDurableObject(chatRoom(env, shop.owner.tenant.id, chat.id), (_instance, state) => {
      state.storage.sql.exec('update quota_lease set touched_at = 0')
    })
    await afterAlarm(shop, chat.id, async () => (await quotaUsed(shop.owner.tenant.id)) === sent)
    expect(await leaseLeft(shop, chat.id)).toBe(0)
  })

  it('stores exactly the plan\'s messages when two rooms race for the last units, and gives nothing extra back', async () => {
    const shop = await openShop()
    await onOwnPlan(shop.owner, 'Five chats', { monthlyChatMessages: 5 })
    const chats = [await startChat(shop), await startChat(shop)]
    const sockets = await Promise.all(chats.map(async (chat) => (await shopperSocket(shop, chat)).socket))
    for (const [i, socket] of sockets.entries()) for (let n = 1; n <= 4; n += 1) socket.send({ type: 'message', clientId: `r${i}-${n}`, text: 'hola' })
    const outcomes = (await Promise.all(sockets.map(async (socket) => [await nextOutcome(socket), await nextOutcome(socket), await nextOutcome(socket), await nextOutcome(socket)]))).flat()
    expect(outcomes.filter((frame) => frame.type === 'message')).toHaveLength(5)
    expect(outcomes.filter((frame) => frame.type === 'error').map((frame) => frame.type === 'error' && frame.code)).toEqual(['quota_exceeded', 'quota_exceeded', 'quota_exceeded'])
    for (const socket of sockets) socket.close()

    for (const chat of chats) {
      await chatRoom(env, shop.owner.tenant.id, chat.id).changeState({ state: 'closed', agentUserId: null, agentName: null })
      await afterAlarm(shop, chat.id, async () => (await leaseLeft(shop, chat.id)) === 0)
    }
    const stored = await Promise.all(chats.map((chat) => runInDurableObject(chatRoom(env, shop.owner.tenant.id, chat.id), (_instance, state) => state.storage.sql.exec<{ n: number }>('select count(*) as n from messages').one().n)))
    expect(stored[0]! + stored[1]!).toBe(5)
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(5)
  })

  it('keeps its lease across a restart of the room and gives it back when the conversation closes', async () => {
    const shop = await openShop()
    await onOwnPlan(shop.owner, 'Many chats', { monthlyChatMessages: 1000 })
    const chat = await startChat(shop)
    const first = await shopperSocket(shop, chat)
    expect(await say(first.socket, 'before')).toMatchObject({ type: 'message' })
    first.socket.close()
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(CHAT_QUOTA_LEASE)

    await evictDurableObject(chatRoom(env, shop.owner.tenant.id, chat.id))
    const reopened = await shopperSocket(shop, chat)
    expect(await say(reopened.socket, 'after')).toMatchObject({ type: 'message' })
    reopened.socket.close()
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(CHAT_QUOTA_LEASE)
    expect(await leaseLeft(shop, chat.id)).toBe(CHAT_QUOTA_LEASE - 2)

    await chatRoom(env, shop.owner.tenant.id, chat.id).changeState({ state: 'closed', agentUserId: null, agentName: null })
    await afterAlarm(shop, chat.id, async () => (await quotaUsed(shop.owner.tenant.id)) === 2)
  })

  it('charges nothing for a resent clientId or an agent\'s message', async () => {
    const shop = await openShop()
    await onOwnPlan(shop.owner, 'Two chats', { monthlyChatMessages: 2 })
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'same', text: 'once' })
    socket.send({ type: 'message', clientId: 'same', text: 'once' })
    expect([await nextOutcome(socket), await nextOutcome(socket)]).toMatchObject([{ type: 'message' }, { type: 'message' }])
    expect(await say(socket, 'second')).toMatchObject({ type: 'message' })
    const agent = await agentSocket(shop.owner.accessToken, chat.id)
    agent.socket.send({ type: 'message', clientId: 'agent', text: 'free' })
    expect((await agent.socket.next('message')).message).toMatchObject({ role: 'agent' })
    agent.socket.close()
    expect(await say(socket, 'third')).toMatchObject({ type: 'error', code: 'quota_exceeded' })
    socket.close()
    expect(await quotaUsed(shop.owner.tenant.id)).toBe(2)
  })
})
