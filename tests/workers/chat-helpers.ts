// Helpers for the chat tests: a shop with a publishable key, conversations started through the API, and sockets
// opened through the Worker that queue the room's frames.
import { SELF } from 'cloudflare:test'
import { parseServerMessage, type ChatClientMessage, type ChatServerMessage } from '../../workers/chat/protocol'
import { BASE, api } from './helpers'
import type { Shop } from './commerce-helpers'

/** A socket to a room, one frame at a time. */
export interface ChatSocket {
  send(message: ChatClientMessage | string): void
  /** The next frame (of `type`, skipping others when given). */
  next<T extends ChatServerMessage['type']>(type?: T, timeoutMs?: number): Promise<Extract<ChatServerMessage, { type: T }>>
  /** Every frame received so far that no `next()` has taken. */
  pending(): ChatServerMessage[]
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

/** Starts a conversation with the shop's publishable key; answers its id and secret. */
export async function startChat(shop: Shop, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<{ id: string; secret: string }> {
  const { res, body: created } = await api<{ id: string; secret: string }>('/v1/chats', { apiKey: shop.publishableKey, body, headers })
  if (res.status !== 201) throw new Error(`chat not started: ${res.status} ${JSON.stringify(created)}`)
  return created
}

/** The upgrade request, answered as the Worker answers it. */
export function upgradeChat(id: string, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${BASE}/v1/chats/${id}/live?${query}`, { headers: { Upgrade: 'websocket', ...headers } })
}

/** Accepts a 101 answer's WebSocket and queues the room's frames. */
export function chatSocketOf(response: Response): ChatSocket {
  const socket = response.webSocket
  if (response.status !== 101 || !socket) throw new Error(`upgrade refused: ${response.status}`)
  const queue: ChatServerMessage[] = []
  let wake: (() => void) | null = null
  socket.addEventListener('message', (event) => {
    const message = typeof event.data === 'string' ? parseServerMessage(event.data) : null
    if (!message) return
    queue.push(message)
    wake?.()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })))
  socket.accept()
  const next = async <T extends ChatServerMessage['type']>(type?: T, timeoutMs = 3_000): Promise<Extract<ChatServerMessage, { type: T }>> => {
    const until = Date.now() + timeoutMs
    for (;;) {
      const index = queue.findIndex((m) => type === undefined || m.type === type)
      if (index >= 0) return queue.splice(index, 1)[0] as Extract<ChatServerMessage, { type: T }>
      const left = until - Date.now()
      if (left <= 0) throw new Error(`no ${type ?? 'frame'} within ${timeoutMs} ms; queued: ${JSON.stringify(queue.map((m) => m.type))}`)
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, Math.min(left, 200))
      })
    }
  }
  return {
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next,
    pending: () => [...queue],
    closed,
    close: () => socket.close(1000, 'done'),
  }
}

/** Opens the shopper's socket and says hello; answers the socket and its history frame. */
export async function shopperSocket(shop: Shop, chat: { id: string; secret: string }, lastSeq = 0): Promise<{ socket: ChatSocket; history: Extract<ChatServerMessage, { type: 'history' }> }> {
  const socket = chatSocketOf(await upgradeChat(chat.id, `key=${encodeURIComponent(shop.publishableKey)}&secret=${encodeURIComponent(chat.secret)}`))
  socket.send({ type: 'hello', lastSeq })
  return { socket, history: await socket.next('history') }
}

/** Opens an agent's socket (a member's access token) and says hello. */
export async function agentSocket(token: string, chatId: string, lastSeq = 0): Promise<{ socket: ChatSocket; history: Extract<ChatServerMessage, { type: 'history' }> }> {
  const socket = chatSocketOf(await upgradeChat(chatId, `token=${encodeURIComponent(token)}`))
  socket.send({ type: 'hello', lastSeq })
  return { socket, history: await socket.next('history') }
}
