// An agent's socket to one conversation room: partysocket (reconnects with backoff), the access token offered as a
// subprotocol beside `vitrina.chat` (never in the URL), `hello` with the last seq held on every (re)connect.
import { WebSocket as ReconnectingSocket } from 'partysocket'
import { parseServerMessage, type ChatClientMessage, type ChatServerMessage } from '../../../workers/chat/protocol'
import { currentAccessToken, refreshAccessToken } from '../api/session'

/** The subprotocol the room's upgrade answers with (CHAT_SUBPROTOCOL in workers/chat/rooms.ts). */
const CHAT_SUBPROTOCOL = 'vitrina.chat'

export type ChatLinkStatus = 'connecting' | 'live' | 'offline'

/** A live link to a room: `send` frames, `close` for good. */
export interface ChatLink {
  send: (frame: ChatClientMessage) => void
  close: () => void
}

/** Opens the room of conversation `id`; `lastSeq` is read on each (re)connect so only missed messages come back. */
export function openChat(id: string, lastSeq: () => number, onFrame: (frame: ChatServerMessage) => void, onStatus: (status: ChatLinkStatus) => void): ChatLink {
  const url = new URL(`/v1/chats/${encodeURIComponent(id)}/live`, window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  let attempts = 0
  const protocols = async (): Promise<string[]> => {
    const token = attempts++ > 0 ? ((await refreshAccessToken().catch(() => null)) ?? currentAccessToken()) : currentAccessToken()
    return token ? [CHAT_SUBPROTOCOL, token] : [CHAT_SUBPROTOCOL]
  }
  const socket = new ReconnectingSocket(url.toString(), protocols, { maxReconnectionDelay: 10_000 })
  // partysocket queues frames while reconnecting; a typing ping is only worth sending live.
  const send = (frame: ChatClientMessage) => {
    if (frame.type !== 'typing' || socket.readyState === ReconnectingSocket.OPEN) socket.send(JSON.stringify(frame))
  }
  onStatus('connecting')
  socket.addEventListener('open', () => {
    attempts = 0
    onStatus('live')
    send({ type: 'hello', lastSeq: lastSeq() } satisfies ChatClientMessage)
  })
  socket.addEventListener('close', () => onStatus(socket.shouldReconnect ? 'connecting' : 'offline'))
  socket.addEventListener('message', (event: MessageEvent) => {
    const frame = typeof event.data === 'string' ? parseServerMessage(event.data) : null
    if (frame) onFrame(frame)
  })
  return { send, close: () => socket.close(1000, 'page closed') }
}
