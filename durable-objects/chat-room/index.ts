// Per-conversation chat actor on partyserver with hibernation: the shopper's and agents' sockets, messages with a
// per-room seq in SQLite (a resent clientId is stored once), limits, the plan's chat quota, handoff state, the
// assistant's streamed replies, and the outbox its alarm publishes to Postgres (then tells the tenant channel of a new state).
import { Server, type Connection, type ConnectionContext, type WSMessage } from 'partyserver'
import { cachedProvidersFor, type OptionalAiSecrets } from '../../workers/ai/providers'
import { createDatabase, type DatabaseClient, type DatabaseConfig } from '../../workers/db/client'
import { CLOSE_ROOM_FULL, FLUSH_DELAY_MS, HISTORY_LIMIT, MAX_CONNECTIONS_PER_ROOM, MAX_FRAME_BYTES, MAX_MESSAGE_CHARS, MESSAGES_PER_MINUTE } from '../../workers/chat/limits'
import { cachedAssistantSettings } from '../../workers/chat/settings'
import { parseClientMessage, type ChatErrorCode, type ChatPart, type ChatServerMessage, type ChatState } from '../../workers/chat/protocol'
import { ApiError, errorBody } from '../../workers/lib/errors'
import { CredentialSockets } from '../lib/credential-sockets'
import { credentialTags, type CredentialMatch } from '../lib/socket-credentials'
import { generateReply, type ReplyOutcome } from './assistant'
import { participantOf, socketState, spendMessageBudget, type ChatSocketState } from './participants'
import { flushRoom, type FlushOutcome } from './flush'
import { QuotaLease } from './quota-lease'
import * as store from './store'

export type { Conversation } from './store'

/** What the Worker passes to start a conversation. */
export interface CreateConversationInput {
  tenantId: string
  id: string
  customerId: string | null
  cartId: string | null
  secretHash: string | null
}

/** A state change asked for over HTTP by an agent (take over, hand back, close). */
export interface StateChangeInput {
  state: Exclude<ChatState, 'waiting'>
  agentUserId: string | null
  agentName: string | null
}

/** The conversation as the Worker sees it (no dirty flag). */
export type ConversationView = Omit<store.Conversation, 'dirty'>

const view = ({ dirty: _dirty, ...rest }: store.Conversation): ConversationView => rest

/** Owns one conversation, named `<tenantId>:<conversationId>`. */
export class ChatRoom extends Server<Env> {
  static override options = { hibernate: true }

  readonly #sockets = new CredentialSockets({
    getConnections: (tag) => this.getConnections(tag),
    tenantId: () => this.#conversation()?.tenantId ?? '',
    database: () => this.#database(),
  })

  /** The room's lease of the plan's chat quota, spent by shopper messages. */
  readonly #lease = new QuotaLease(this.ctx.storage.sql, this.env, () => this.#database())

  /** The reply in progress (one at a time), and whether a shopper message arrived meanwhile. */
  #reply: { abort: AbortController; again: boolean } | null = null

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      store.applySchema(ctx.storage.sql)
      // A stream still open at start was cut by an eviction: it ends here, marked interrupted, and is never re-run.
      for (const stream of store.openStreams(ctx.storage.sql)) this.#endStream(stream, null, null)
    })
  }

  /** Starts the conversation (once); answers the existing one on a repeat. */
  async create(input: CreateConversationInput): Promise<ConversationView> {
    const existing = this.#conversation()
    if (existing) return view(existing)
    const now = Date.now()
    const conversation: store.Conversation = { ...input, state: 'assistant', agentUserId: null, agentName: null, waitingSince: null, waitedMs: 0, messageCount: 0, lastMessageAt: null, createdAt: now, updatedAt: now, dirty: true }
    store.writeConversation(this.ctx.storage.sql, conversation)
    await this.flush()
    return view(conversation)
  }

  /** The conversation, or null when this room was never created (another tenant's id, a made-up id). */
  describe(): ConversationView | null {
    const conversation = this.#conversation()
    return conversation ? view(conversation) : null
  }

  /** One page of the transcript after `afterSeq`, oldest first, with the assistant's accounting. */
  transcript(afterSeq: number, limit: number): { messages: store.StoredMessage[]; truncated: boolean } {
    return store.pageAfter(this.ctx.storage.sql, afterSeq, limit)
  }

  /** An agent takes over (`human`), hands back to the assistant, or closes; null when the room does not exist. */
  async changeState(input: StateChangeInput): Promise<ConversationView | null> {
    const conversation = this.#conversation()
    if (!conversation) return null
    const changed = this.#transition(conversation, input.state, input.agentUserId, input.agentName, null)
    await this.#schedule(0)
    return view(changed)
  }

  /** Closes the sockets opened with any of these credentials (a key revoked, a member removed). */
  closeSockets(match: CredentialMatch): { closed: number } {
    return { closed: this.#sockets.close(match) }
  }

  /** Publishes the conversation and queued messages to Postgres now; the alarm does the same on its own. */
  flush(): Promise<FlushOutcome> {
    return flushRoom(this.ctx, this.env, this.#database())
  }

  /** Tags each socket with its credential, so a revocation finds its sockets without a scan. */
  override getConnectionTags(_connection: Connection, context: ConnectionContext): string[] {
    return credentialTags(context)
  }

  /** Binds a socket to its credential and participant; refuses it when the room is full or does not exist. */
  override async onConnect(connection: Connection, context: ConnectionContext): Promise<void> {
    const participant = participantOf(context.request)
    if (!participant || !this.#conversation()) {
      connection.close(1008, 'no such conversation')
      return
    }
    if (!this.#sockets.bind(connection, context)) return
    if ([...this.getConnections()].length > MAX_CONNECTIONS_PER_ROOM) {
      this.#sendError(connection, 'room_full', `A conversation takes at most ${MAX_CONNECTIONS_PER_ROOM} connections`)
      connection.close(CLOSE_ROOM_FULL, 'room full')
      return
    }
    const bound = connection.state as ChatSocketState
    connection.setState({ ...bound, participant, windowStart: Date.now(), windowCount: 0 } satisfies ChatSocketState)
    this.#presence()
    await this.#schedule(FLUSH_DELAY_MS)
  }

  /** Announces who is left. */
  override onClose(connection: Connection): void {
    this.#presence(connection.id)
  }

  /** Every frame: size and shape checked first, answered with an `error` frame (never a crash) when bad. */
  override async onMessage(connection: Connection, raw: WSMessage): Promise<void> {
    const state = socketState(connection)
    if (!state) return
    const size = typeof raw === 'string' ? new TextEncoder().encode(raw).byteLength : raw.byteLength
    if (size > MAX_FRAME_BYTES) return this.#sendError(connection, 'message_too_large', `Frames are at most ${MAX_FRAME_BYTES} bytes`)
    const frame = typeof raw === 'string' ? parseClientMessage(raw, MAX_MESSAGE_CHARS) : null
    if (!frame) return this.#sendError(connection, 'invalid_message', 'Not a chat protocol frame (see workers/chat/protocol.ts)')
    switch (frame.type) {
      case 'hello':
        return this.#sendHistory(connection, frame.lastSeq)
      case 'typing':
        return this.#broadcast({ type: 'typing', role: state.participant.role, name: state.participant.name }, [connection.id])
      case 'read':
        return this.#broadcast({ type: 'read', role: state.participant.role, seq: frame.seq }, [connection.id])
      case 'handoff':
        return this.#askForHuman(frame.reason ?? null)
      case 'message':
        return this.#receive(connection, state, frame.clientId, frame.text)
    }
  }

  /** Plain HTTP is not part of the object's surface: the Worker talks RPC, clients upgrade to WebSocket. */
  override onRequest(): Response {
    return Response.json(errorBody('not_found', 'Chat rooms answer RPC and WebSocket upgrades only'), { status: 404 })
  }

  /** Closes sockets whose credential expired or was revoked, publishes the outbox, gives back an idle lease, and sets the next alarm. */
  override async onAlarm(): Promise<void> {
    await this.#sockets.sweep()
    if (store.flushRetryAt(this.ctx.storage.sql) <= Date.now()) await this.flush()
    const conversation = this.#conversation()
    if (conversation) await this.#lease.release(conversation.tenantId, conversation.state === 'closed')
    await this.#schedule(FLUSH_DELAY_MS)
  }

  /** Stores a message once per clientId, pays the shopper's with a unit of the room's quota lease, and fans it out. */
  async #receive(connection: Connection, state: ChatSocketState, clientId: string, text: string): Promise<void> {
    const sql = this.ctx.storage.sql
    const conversation = this.#conversation()
    if (!conversation) return
    const known = store.messageByClientId(sql, clientId)
    if (known) return this.#send(connection, { type: 'message', message: known })
    if (conversation.state === 'closed') return this.#sendError(connection, 'conversation_closed', 'This conversation is closed')
    if (!spendMessageBudget(connection, MESSAGES_PER_MINUTE)) return this.#sendError(connection, 'rate_limited', `At most ${MESSAGES_PER_MINUTE} messages a minute`)
    const { role, userId, name } = state.participant
    // Another frame may spend the lease taken here before this one resumes: the loop takes another then.
    while (role === 'shopper' && !this.#lease.ready()) {
      try {
        await this.#lease.refill(conversation.tenantId)
      } catch (error) {
        if (error instanceof ApiError && error.code === 'quota_exceeded') return this.#sendError(connection, 'quota_exceeded', error.message)
        throw error
      }
    }
    // Another frame may have stored the same clientId while the lease was taken; the unit stays in the lease.
    const raced = store.messageByClientId(sql, clientId)
    if (raced) return this.#send(connection, { type: 'message', message: raced })
    const parts: ChatPart[] = [{ type: 'text', text }]
    this.#append({ role, author: role === 'agent' ? name : null, authorUserId: userId, clientId, parts, paid: role === 'shopper' })
    if (role === 'agent' && conversation.state !== 'human') {
      const current = this.#conversation()
      if (current) this.#transition(current, 'human', userId, name, null)
    }
    await this.#schedule(FLUSH_DELAY_MS)
    if (role === 'shopper') this.ctx.waitUntil(this.#answer())
  }

  /** The assistant answers the conversation when it is on, has a provider and no human is involved; one reply at a time. */
  async #answer(): Promise<void> {
    if (this.#reply) {
      this.#reply.again = true
      return
    }
    const conversation = this.#conversation()
    if (!conversation || conversation.state !== 'assistant') return
    const abort = new AbortController()
    this.#reply = { abort, again: false }
    let client: DatabaseClient | undefined
    const db = () => (client ??= createDatabase(this.#database())).db
    let stream: store.OpenStream | null = null
    try {
      const env = this.env as Env & OptionalAiSecrets
      const [settings, providers] = await Promise.all([cachedAssistantSettings(db, conversation.tenantId), cachedProvidersFor(env, db, conversation.tenantId)])
      if (!settings.enabled || providers.providers.length === 0 || abort.signal.aborted) return
      const sql = this.ctx.storage.sql
      const opened: store.OpenStream = { id: crypto.randomUUID(), seq: store.nextSeq(sql), text: '', startedAt: Date.now() }
      stream = opened
      store.openStream(sql, opened)
      const history = store.recentMessages(sql, HISTORY_LIMIT)
      let offset = 0
      const outcome = await generateReply({
        tools: { env: this.env, tenantId: conversation.tenantId, cartId: conversation.cartId, db },
        settings,
        providers,
        history,
        signal: abort.signal,
        waitUntil: (promise) => this.ctx.waitUntil(promise),
        onText: (text) => {
          store.appendStream(sql, opened.id, text)
          this.#broadcast({ type: 'delta', streamId: opened.id, seq: opened.seq, offset, text })
          offset += text.length
        },
      })
      this.#endStream(opened, outcome, settings.name)
      stream = null
      if (outcome.failure !== null && outcome.parts.length === 0) this.#broadcast({ type: 'error', code: 'assistant_failed', message: 'The assistant could not answer; try again or ask for a person' })
      if (outcome.handoff !== null) await this.#askForHuman(outcome.handoff)
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: 'assistant reply failed', room: conversation.id, error: String(error) }))
      if (stream) this.#endStream(stream, null, null)
    } finally {
      await client?.close()
      const again = this.#reply.again
      this.#reply = null
      await this.#schedule(FLUSH_DELAY_MS)
      if (again) this.ctx.waitUntil(this.#answer())
    }
  }

  /** Ends a stream: its message (interrupted when cut or without an outcome) under the reserved seq, then `stream-end`. */
  #endStream(stream: store.OpenStream, outcome: ReplyOutcome | null, author: string | null): void {
    const sql = this.ctx.storage.sql
    const text = outcome ? null : store.openStreams(sql).find((s) => s.id === stream.id)?.text ?? stream.text
    const parts: ChatPart[] = outcome ? outcome.parts : text ? [{ type: 'text', text }] : []
    const interrupted = outcome ? outcome.interrupted : true
    store.closeStream(sql, stream.id)
    if (parts.length > 0) {
      const accounting = outcome ? { provider: outcome.provider, model: outcome.model, tokensIn: outcome.tokensIn, tokensOut: outcome.tokensOut, costUsd: outcome.costUsd, latencyMs: outcome.latencyMs } : {}
      this.#append({ seq: stream.seq, role: 'assistant', author, authorUserId: null, clientId: null, parts, interrupted, accounting })
    }
    this.#broadcast({ type: 'stream-end', streamId: stream.id, seq: stream.seq, interrupted })
  }

  /** Stores a message under the next seq (`paid`: with a unit of the quota lease, in the same transaction), counts it on the conversation and sends it to every socket. */
  #append(message: { role: store.StoredMessage['role']; author: string | null; authorUserId: string | null; clientId: string | null; parts: ChatPart[]; seq?: number; interrupted?: boolean; accounting?: Partial<store.StoredMessage>; paid?: boolean }): store.StoredMessage {
    const sql = this.ctx.storage.sql
    const now = Date.now()
    const stored = this.ctx.storage.transactionSync(() => {
      if (message.paid) this.#lease.spend(now)
      const row = store.insertMessage(sql, {
        seq: message.seq ?? store.nextSeq(sql),
        role: message.role,
        author: message.author,
        authorUserId: message.authorUserId,
        clientId: message.clientId,
        parts: message.parts,
        interrupted: message.interrupted ?? false,
        provider: message.accounting?.provider ?? null,
        model: message.accounting?.model ?? null,
        tokensIn: message.accounting?.tokensIn ?? null,
        tokensOut: message.accounting?.tokensOut ?? null,
        costUsd: message.accounting?.costUsd ?? null,
        latencyMs: message.accounting?.latencyMs ?? null,
        createdAt: now,
      })
      const conversation = this.#conversation()
      if (conversation) store.writeConversation(sql, { ...conversation, messageCount: conversation.messageCount + 1, lastMessageAt: now, updatedAt: Math.max(now, conversation.updatedAt + 1), dirty: true })
      return row
    })
    this.#broadcast({ type: 'message', message: stored })
    return stored
  }

  /** The shopper (or the assistant's `handoff` tool) asks for a person: the assistant stops and the room waits. */
  async #askForHuman(reason: string | null): Promise<void> {
    const conversation = this.#conversation()
    if (!conversation || conversation.state === 'human' || conversation.state === 'closed') return
    if (conversation.state !== 'waiting') store.setPendingHandoff(this.ctx.storage.sql, { eventId: crypto.randomUUID(), reason, requestedAt: Date.now() })
    this.#transition(conversation, 'waiting', null, null, reason)
    await this.#schedule(0)
  }

  /** Moves the conversation to `state`, recording time spent waiting for a human, and announces it. */
  #transition(conversation: store.Conversation, state: ChatState, agentUserId: string | null, agentName: string | null, reason: string | null): store.Conversation {
    const now = Date.now()
    const waited = conversation.waitingSince === null || state === 'waiting' ? 0 : now - conversation.waitingSince
    const next: store.Conversation = {
      ...conversation,
      state,
      agentUserId: state === 'human' ? agentUserId : null,
      agentName: state === 'human' ? agentName : null,
      waitingSince: state === 'waiting' ? (conversation.waitingSince ?? now) : null,
      waitedMs: conversation.waitedMs + waited,
      updatedAt: Math.max(now, conversation.updatedAt + 1),
      dirty: true,
    }
    store.writeConversation(this.ctx.storage.sql, next)
    if (state !== 'assistant') this.#reply?.abort.abort()
    this.#broadcast({ type: 'handoff', state, agentName: next.agentName, reason })
    return next
  }

  #sendHistory(connection: Connection, lastSeq: number): void {
    const conversation = this.#conversation()
    if (!conversation) return
    const { messages, truncated } = store.messagesAfter(this.ctx.storage.sql, lastSeq, HISTORY_LIMIT)
    this.#send(connection, { type: 'history', messages, state: conversation.state, agentName: conversation.agentName, truncated })
    for (const stream of store.openStreams(this.ctx.storage.sql)) {
      if (stream.text.length > 0) this.#send(connection, { type: 'delta', streamId: stream.id, seq: stream.seq, offset: 0, text: stream.text })
    }
  }

  #presence(leaving?: string): void {
    let shoppers = 0
    const agents: string[] = []
    for (const connection of this.getConnections()) {
      const state = socketState(connection)
      if (!state || connection.id === leaving) continue
      if (state.participant.role === 'shopper') shoppers += 1
      else agents.push(state.participant.name ?? 'agent')
    }
    this.#broadcast({ type: 'presence', shoppers, agents }, leaving ? [leaving] : [])
  }

  #broadcast(message: ChatServerMessage, without: string[] = []): void {
    this.#sockets.closeExpired()
    this.broadcast(JSON.stringify(message), without)
  }

  #send(connection: Connection, message: ChatServerMessage): void {
    connection.send(JSON.stringify(message))
  }

  #sendError(connection: Connection, code: ChatErrorCode, message: string): void {
    this.#send(connection, { type: 'error', code, message } satisfies ChatServerMessage)
  }

  #conversation(): store.Conversation | null {
    return store.readConversation(this.ctx.storage.sql)
  }

  #database(): DatabaseConfig {
    return { url: this.env.DATABASE_URL, driver: this.env.DATABASE_DRIVER }
  }

  /** Sets the alarm for the earliest of: publishing the outbox or a dirty conversation, the sockets' credential deadline, and giving back the lease. */
  async #schedule(flushDelayMs: number): Promise<void> {
    const sql = this.ctx.storage.sql
    const now = Date.now()
    const conversation = this.#conversation()
    const needsFlush = store.outboxPending(sql) || conversation?.dirty === true
    const flushAt = needsFlush ? Math.max(now + flushDelayMs, store.flushRetryAt(sql)) : null
    const leaseAt = conversation ? this.#lease.deadline(conversation.state === 'closed', now) : null
    const candidates = [flushAt, this.#sockets.deadline(now), leaseAt].filter((at): at is number => at !== null)
    if (candidates.length === 0) return
    const next = Math.min(...candidates)
    const current = await this.ctx.storage.getAlarm()
    if (current === null || next < current) await this.ctx.storage.setAlarm(next)
  }
}
