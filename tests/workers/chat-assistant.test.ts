// The chat assistant against the local fake provider: a streamed reply with a search_products tool call ending in a
// product card, a reconnect mid-reply that gets the rest once, a reply cut by an eviction marked interrupted, handoff
// silencing the assistant until an agent hands back, and its per-tenant settings.
import { env } from 'cloudflare:workers'
import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { nextSeq, openStream } from '../../durable-objects/chat-room/store'
import type { ChatServerMessage } from '../../workers/chat/protocol'
import { chatRoom } from '../../workers/chat/rooms'
import type { FakeStep } from '../helpers/fake-ai'
import { addProvider, fakeProvider, fakeStats } from './ai-helpers'
import { shopperSocket, startChat, type ChatSocket } from './chat-helpers'
import { openShop, stockedVariant, type Shop } from './commerce-helpers'
import { api } from './helpers'

async function shopWithAssistant(steps: FakeStep[], firstTokenTimeoutMs = 2_000): Promise<{ shop: Shop; fake: string }> {
  const shop = await openShop()
  const fake = await fakeProvider(steps)
  await addProvider(shop.owner, { baseUrl: fake.baseUrl, firstTokenTimeoutMs, inputPricePerMTok: 1, outputPricePerMTok: 2 })
  return { shop, fake: fake.id }
}

/** Reads frames until the stream of `seq` ends; answers the text rebuilt from its deltas and the messages seen. */
async function followReply(socket: ChatSocket, seq: number): Promise<{ text: string; messages: Extract<ChatServerMessage, { type: 'message' }>[]; end: Extract<ChatServerMessage, { type: 'stream-end' }> }> {
  let text = ''
  const messages: Extract<ChatServerMessage, { type: 'message' }>[] = []
  for (;;) {
    const frame = await socket.next(undefined, 8_000)
    if (frame.type === 'delta' && frame.seq === seq) text = text.slice(0, frame.offset) + frame.text
    if (frame.type === 'message') messages.push(frame)
    if (frame.type === 'stream-end' && frame.seq === seq) return { text, messages, end: frame }
  }
}

describe('chat assistant', () => {
  it('streams a reply whose search_products call becomes a product card, and records provider, model, tokens and cost', async () => {
    const product = { sku: '' }
    const { shop, fake } = await shopWithAssistant([])
    const variant = await stockedVariant(shop, { price: 12_500 })
    product.sku = variant.sku
    await fetch(`${(env as Env & { FAKE_AI_URL: string }).FAKE_AI_URL}/ctl/${fake}`, {
      method: 'POST',
      body: JSON.stringify({ steps: [{ kind: 'tool', times: 1, tool: { name: 'search_products', arguments: { query: variant.sku } } }, { kind: 'ok', text: 'Tenemos este reloj' }] }),
    })
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q', text: '¿Tienen relojes?' })
    expect((await socket.next('message')).message.seq).toBe(1)
    const reply = await followReply(socket, 2)
    expect(reply.text).toBe('Tenemos este reloj')
    expect(reply.end.interrupted).toBe(false)
    const message = reply.messages.find((m) => m.message.seq === 2)?.message
    expect(message).toMatchObject({ role: 'assistant', author: 'Asistente', interrupted: false })
    expect(message?.parts).toEqual([
      { type: 'text', text: 'Tenemos este reloj' },
      { type: 'products', products: [expect.objectContaining({ id: variant.productId, price: 12_500, currency: 'EUR', skus: [variant.sku], available: expect.any(Number) })] },
    ])
    const bodies = (await fakeStats(fake)).bodies
    expect(bodies[0]).toMatchObject({ stream: true, tools: expect.arrayContaining([expect.objectContaining({ function: expect.objectContaining({ name: 'search_products' }) })]) })
    expect(JSON.stringify(bodies[1])).toContain(variant.sku)
    const transcript = await api<{ data: { seq: number; provider: string | null; model: string | null; tokensIn: number; tokensOut: number; costUsd: number; latencyMs: number }[] }>(`/v1/chats/${chat.id}/messages`, { token: shop.owner.accessToken })
    expect(transcript.body.data[1]).toMatchObject({ seq: 2, model: 'fake-model', tokensIn: 24, tokensOut: 6 })
    expect(transcript.body.data[1]?.costUsd).toBeCloseTo((24 * 1 + 6 * 2) / 1_000_000, 12)
    socket.close()
  })

  it('gives a shopper who reconnects mid-reply what it missed, then the rest live, once', async () => {
    const words = 'uno dos tres cuatro cinco seis siete ocho nueve diez'
    const { shop } = await shopWithAssistant([{ kind: 'ok', text: words, wordDelayMs: 120 }])
    const chat = await startChat(shop)
    const first = await shopperSocket(shop, chat)
    first.socket.send({ type: 'message', clientId: 'q', text: 'cuenta' })
    await first.socket.next('delta', 5_000)
    first.socket.close()
    const again = await shopperSocket(shop, chat, 1)
    expect(again.history.messages).toEqual([])
    const reply = await followReply(again.socket, 2)
    expect(reply.text).toBe(words)
    expect(reply.messages.filter((m) => m.message.seq === 2)).toHaveLength(1)
    expect(reply.messages[0]?.message.parts).toEqual([{ type: 'text', text: words }])
    again.socket.close()
  })

  it('ends a reply cut by an eviction as interrupted, with what had streamed, and never runs it again', async () => {
    const { shop, fake } = await shopWithAssistant([{ kind: 'ok', text: 'never asked' }])
    await api('/v1/assistant/settings', { token: shop.owner.accessToken, method: 'PUT', body: { enabled: false } })
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q', text: 'hola' })
    await socket.next('message')
    socket.close()
    // The state an eviction leaves mid-reply (workerd's test eviction waits for in-flight fetches, so it is written here).
    const stub = chatRoom(env, shop.owner.tenant.id, chat.id)
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql
      const seq = nextSeq(sql)
      openStream(sql, { id: crypto.randomUUID(), seq, text: '', startedAt: Date.now() })
      sql.exec('update streams set text = ?', 'Primero')
    })
    await evictDurableObject(stub)
    const reopened = await shopperSocket(shop, chat, 1)
    expect(reopened.history.messages).toMatchObject([{ seq: 2, role: 'assistant', interrupted: true, parts: [{ type: 'text', text: 'Primero' }] }])
    reopened.socket.send({ type: 'hello', lastSeq: 0 })
    expect((await reopened.socket.next('history')).messages.map((m) => m.seq)).toEqual([1, 2])
    expect((await fakeStats(fake)).hits).toBe(0)
    reopened.socket.close()
  })

  it('stays silent once the shopper asks for a person or the assistant hands off, until an agent hands back', async () => {
    const { shop, fake } = await shopWithAssistant([{ kind: 'tool', times: 1, tool: { name: 'handoff', arguments: { reason: 'wants a refund' } } }, { kind: 'ok', text: 'De vuelta' }])
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q1', text: 'quiero un reembolso' })
    await socket.next('message')
    expect(await socket.next('handoff', 5_000)).toMatchObject({ state: 'waiting', reason: 'wants a refund' })
    const hits = (await fakeStats(fake)).hits
    socket.send({ type: 'message', clientId: 'q2', text: '¿hola?' })
    await socket.next('message')
    await new Promise((r) => setTimeout(r, 800))
    expect(socket.pending().filter((f) => f.type === 'delta' || f.type === 'message')).toEqual([])
    expect((await fakeStats(fake)).hits).toBe(hits)

    expect((await api(`/v1/chats/${chat.id}/state`, { token: shop.owner.accessToken, body: { state: 'human' } })).res.status).toBe(200)
    expect(await socket.next('handoff')).toMatchObject({ state: 'human' })
    expect((await api(`/v1/chats/${chat.id}/state`, { token: shop.owner.accessToken, body: { state: 'assistant' } })).res.status).toBe(200)
    expect(await socket.next('handoff')).toMatchObject({ state: 'assistant' })
    socket.send({ type: 'message', clientId: 'q3', text: 'gracias' })
    const reply = await followReply(socket, 5)
    expect(reply.text).toBe('De vuelta')
    socket.close()
  })

  it('keeps each tenant\'s assistant settings to itself; a disabled assistant does not answer', async () => {
    const { shop, fake } = await shopWithAssistant([{ kind: 'ok', text: 'hola' }])
    const other = await openShop()
    expect((await api('/v1/assistant/settings', { token: shop.owner.accessToken })).body).toMatchObject({ enabled: true, name: 'Asistente', language: 'es' })
    const put = await api('/v1/assistant/settings', { token: shop.owner.accessToken, method: 'PUT', body: { enabled: false, name: 'Vera', language: 'en', tools: ['search_products'] } })
    expect(put.res.status).toBe(200)
    expect((await api('/v1/assistant/settings', { token: other.owner.accessToken })).body).toMatchObject({ enabled: true, name: 'Asistente' })
    expect((await api('/v1/assistant/settings', { token: shop.owner.accessToken })).body).toMatchObject({ enabled: false, name: 'Vera', tools: ['search_products'] })
    expect((await api('/v1/assistant/settings', { apiKey: shop.serverKey, method: 'PUT', body: { enabled: true } })).res.status).toBe(403)
    expect((await api('/v1/assistant/settings', { token: shop.owner.accessToken, method: 'PUT', body: { tools: ['rm_rf'] } })).res.status).toBe(400)

    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q', text: 'hola' })
    await socket.next('message')
    await new Promise((r) => setTimeout(r, 500))
    expect((await fakeStats(fake)).hits).toBe(0)
    socket.close()
  })
})

describe('chat assistant, late and cut replies', () => {
  it('gives a reconnecting shopper a reply that finished after a later message of theirs', async () => {
    const { shop } = await shopWithAssistant([{ kind: 'ok', text: 'a b c d e f', wordDelayMs: 150, times: 1 }, { kind: 'ok', text: 'segunda' }])
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q1', text: 'uno' })
    await socket.next('delta', 5_000)
    socket.send({ type: 'message', clientId: 'q2', text: 'dos' })
    const later = await socket.next('message')
    const mine = later.message.clientId === 'q2' ? later : await socket.next('message')
    expect(mine.message.seq).toBe(3)
    socket.close()
    await new Promise((r) => setTimeout(r, 2_000))
    const again = await shopperSocket(shop, chat, 3)
    expect(again.history.messages.map((m) => m.seq)).toContain(2)
    expect(again.history.messages.find((m) => m.seq === 2)?.parts).toEqual([{ type: 'text', text: 'a b c d e f' }])
    again.socket.close()
  })

  it('ends a reply cut by the provider as interrupted with the streamed text, and does not retry it', async () => {
    const { shop, fake } = await shopWithAssistant([{ kind: 'cut', text: 'partial answer here' }])
    const chat = await startChat(shop)
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q', text: 'hola' })
    const reply = await followReply(socket, 2)
    expect(reply.end.interrupted).toBe(true)
    expect(reply.messages.find((m) => m.message.seq === 2)?.message).toMatchObject({ interrupted: true, parts: [{ type: 'text', text: 'partial' }] })
    expect((await fakeStats(fake)).hits).toBe(1)
    socket.close()
  })

  it('adds to the conversation\'s cart when the assistant calls add_to_cart', async () => {
    const { shop, fake } = await shopWithAssistant([])
    const variant = await stockedVariant(shop, { price: 900 })
    await fetch(`${(env as Env & { FAKE_AI_URL: string }).FAKE_AI_URL}/ctl/${fake}`, {
      method: 'POST',
      body: JSON.stringify({ steps: [{ kind: 'tool', times: 1, tool: { name: 'add_to_cart', arguments: { sku: variant.sku, quantity: 2 } } }, { kind: 'ok', text: 'Listo' }] }),
    })
    const cart = await api<{ id: string; secret: string }>('/v1/carts', { apiKey: shop.publishableKey, body: { currency: 'EUR' } })
    const chat = await startChat(shop, { cartId: cart.body.id }, { 'x-cart-secret': cart.body.secret })
    const { socket } = await shopperSocket(shop, chat)
    socket.send({ type: 'message', clientId: 'q', text: 'añade dos' })
    const reply = await followReply(socket, 2)
    expect(reply.messages.find((m) => m.message.seq === 2)?.message.parts).toEqual([{ type: 'text', text: 'Listo' }, { type: 'cart', cartId: cart.body.id, sku: variant.sku, quantity: 2 }])
    const read = await api<{ lines: { sku: string; quantity: number }[] }>(`/v1/carts/${cart.body.id}`, { apiKey: shop.publishableKey, headers: { 'x-cart-secret': cart.body.secret } })
    expect(read.body.lines).toMatchObject([{ sku: variant.sku, quantity: 2 }])
    socket.close()
  })
})
