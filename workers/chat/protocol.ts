// The chat wire protocol: every frame a ChatRoom object and its clients (admin UI, storefront widget) exchange,
// one union per direction, shared by all of them; every send is checked with `satisfies`.
import { jsonObjectFrame } from '../lib/json-frame'

/** Who wrote a message. */
export type ChatRole = 'shopper' | 'assistant' | 'agent' | 'system'

/** Where a conversation stands: the assistant answers, a human is asked for, a human answers, or it is over. */
export type ChatState = 'assistant' | 'waiting' | 'human' | 'closed'

/** A product as the assistant shows it: a card with image, price and availability. */
export interface ProductCard {
  id: string
  name: string
  /** Lowest active variant price, minor units of `currency`. */
  price: number | null
  currency: string | null
  /** Media path of the cover thumbnail, or null without images. */
  image: string | null
  /** Units available over every variant and location (inventory read model). */
  available: number
  skus: string[]
}

/** One part of a message: prose, product cards, or a note that the cart changed. */
export type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'products'; products: ProductCard[] }
  | { type: 'cart'; cartId: string; sku: string; quantity: number }

/** A stored message as clients see it. */
export interface ChatMessageView {
  seq: number
  role: ChatRole
  /** The agent's name, the assistant's name, or null for the shopper. */
  author: string | null
  parts: ChatPart[]
  clientId: string | null
  /** True when the reply was cut (provider failure or eviction) and ends where it stopped. */
  interrupted: boolean
  createdAt: string
}

/** Frames a client sends. */
export type ChatClientMessage =
  /** First frame after every (re)connect: the last seq the client holds (0 for none). */
  | { type: 'hello'; lastSeq: number }
  /** A new message; resending the same clientId stores it once. */
  | { type: 'message'; clientId: string; text: string }
  | { type: 'typing' }
  | { type: 'read'; seq: number }
  /** The shopper asks for a person. */
  | { type: 'handoff'; reason?: string }

/** Frames the room sends. */
export type ChatServerMessage =
  /** Answer to `hello`: messages after `lastSeq` (oldest first), the state, and whether more history is left out. */
  | { type: 'history'; messages: ChatMessageView[]; state: ChatState; agentName: string | null; truncated: boolean }
  | { type: 'message'; message: ChatMessageView }
  /** A piece of a reply being streamed; `seq` is the seq its final message will have, `offset` where `text` starts in it. */
  | { type: 'delta'; streamId: string; seq: number; offset: number; text: string }
  /** The stream ended; its `message` (same seq) has been sent just before. */
  | { type: 'stream-end'; streamId: string; seq: number; interrupted: boolean }
  | { type: 'presence'; shoppers: number; agents: string[] }
  | { type: 'typing'; role: ChatRole; name: string | null }
  | { type: 'read'; role: ChatRole; seq: number }
  | { type: 'handoff'; state: ChatState; agentName: string | null; reason: string | null }
  | { type: 'error'; code: ChatErrorCode; message: string }

/** Codes of `error` frames. */
export type ChatErrorCode = 'invalid_message' | 'message_too_large' | 'rate_limited' | 'quota_exceeded' | 'room_full' | 'conversation_closed' | 'assistant_failed'

const CLIENT_TYPES: readonly string[] = ['hello', 'message', 'typing', 'read', 'handoff'] satisfies ChatClientMessage['type'][]

const isSeq = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

/** Parses a client frame; null for anything that is not a well-formed one (the room answers `invalid_message`). */
export function parseClientMessage(data: string, maxTextChars: number): ChatClientMessage | null {
  const value = jsonObjectFrame(data)
  if (!value || typeof value.type !== 'string' || !CLIENT_TYPES.includes(value.type)) return null
  switch (value.type) {
    case 'hello':
      return isSeq(value.lastSeq) ? { type: 'hello', lastSeq: value.lastSeq } : null
    case 'message': {
      const { clientId, text } = value
      const idOk = typeof clientId === 'string' && /^[\w-]{1,64}$/.test(clientId)
      const textOk = typeof text === 'string' && text.trim().length > 0 && text.length <= maxTextChars
      return idOk && textOk ? { type: 'message', clientId, text } : null
    }
    case 'read':
      return isSeq(value.seq) ? { type: 'read', seq: value.seq } : null
    case 'handoff':
      return value.reason === undefined || (typeof value.reason === 'string' && value.reason.length <= 500)
        ? { type: 'handoff', ...(typeof value.reason === 'string' ? { reason: value.reason } : {}) }
        : null
    default:
      return { type: 'typing' }
  }
}

/** Parses a server frame (admin UI, widget, tests); null for anything else. */
export function parseServerMessage(data: string): ChatServerMessage | null {
  const value = jsonObjectFrame(data)
  const known: readonly string[] = ['history', 'message', 'delta', 'stream-end', 'presence', 'typing', 'read', 'handoff', 'error'] satisfies ChatServerMessage['type'][]
  return value && typeof value.type === 'string' && known.includes(value.type) ? (value as ChatServerMessage) : null
}

/** The plain text of a message's parts. */
export function textOf(parts: readonly ChatPart[]): string {
  return parts
    .filter((part): part is Extract<ChatPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('')
}
