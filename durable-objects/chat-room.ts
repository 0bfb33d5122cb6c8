// Per-session chat actor: WebSocket connections, recent history and assistant replies (ARCHITECTURE.md).
import { DurableObject } from 'cloudflare:workers'

/** Owns one chat session; its protocol arrives with the chat routes. */
export class ChatRoom extends DurableObject<Env> {}
