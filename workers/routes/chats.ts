// Chat conversations over HTTP: start one (a publishable key gets its secret once), open its WebSocket (authenticated
// before the upgrade), list conversations (waiting for a human first in the count), read a transcript, and let an
// agent take over, hand back or close.
import { createRoute, z } from '@hono/zod-openapi'
import { sql, type SQL } from 'drizzle-orm'
import { assertCartAccess, cartStub } from '../commerce/carts'
import { chatCredentialFromQuery, assertChatOrigin, chatRoom, connectToRoom, conversationOrThrow, memberName, participantFor } from '../chat/rooms'
import { HISTORY_LIMIT } from '../chat/limits'
import { waitingCount } from '../chat/waiting'
import { queryRows } from '../db/client'
import { CHAT_STATES } from '../db/schema/chat'
import { randomToken, sha256Hex } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, MEMBER_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { CursorPart, INVALID_CURSOR_RESPONSE, PageQuerySchema, decodeCursor, encodeCursor } from '../lib/pagination'
import { authenticate, requireMember, requireScope } from '../middleware/authenticate'
import { allowStorefront, isPublishable } from '../middleware/storefront'
import { ChatMessageSchema, ConversationSchema, conversationFromRoom, conversationFromRow, type ConversationRow } from './chat-schemas'

/** Random bytes of a conversation secret. */
const CHAT_SECRET_BYTES = 24

const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
const CreateChatSchema = z.object({ customerId: z.uuid().optional(), cartId: z.uuid().optional() }).openapi('CreateChat')
const CreatedChatSchema = z
  .object({ id: z.uuid(), state: z.enum(CHAT_STATES), secret: z.string().optional().openapi({ description: 'Publishable keys only; shown once, pass it as ?secret= on the socket' }) })
  .openapi('CreatedChat')
const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing, or origin not allowed'), 429: errorResponse('Rate limited') }

const create = createRoute({
  method: 'post',
  path: '/v1/chats',
  tags: ['Chat'],
  summary: 'Start a conversation (publishable key, write key or member); a cart needs its X-Cart-Secret with a publishable key',
  middleware: allowStorefront('write'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(CreateChatSchema), headers: z.object({ 'x-cart-secret': z.string().max(200).optional() }) },
  responses: { 201: jsonResponse('Started', CreatedChatSchema), 400: errorResponse('Invalid fields, or customerId with a publishable key'), ...denied, 404: errorResponse('No such cart') },
})

const live = createRoute({
  method: 'get',
  path: '/v1/chats/{id}/live',
  tags: ['Chat'],
  summary: 'The conversation\'s WebSocket (frames: workers/chat/protocol.ts); shoppers pass ?key=<publishable key>&secret=, agents ?token= or their token as a subprotocol beside vitrina.chat',
  middleware: [chatCredentialFromQuery, authenticate],
  security: ANY_CREDENTIAL,
  request: {
    params: IdParam,
    query: z.object({
      key: z.string().max(512).optional().openapi({ description: 'Publishable key (shoppers)' }),
      secret: z.string().max(200).optional().openapi({ description: 'The conversation secret POST /v1/chats answered (shoppers)' }),
      token: z.string().max(4096).optional().openapi({ description: 'Access token (agents)' }),
    }),
  },
  responses: {
    101: { description: 'Switched to WebSocket' },
    400: errorResponse('Not an upgrade, or a bad id'),
    401: errorResponse('No valid credential'),
    403: errorResponse('Origin not allowed, or a credential that is neither a publishable key nor a member'),
    404: errorResponse('No such conversation, or the secret is missing or wrong'),
    429: errorResponse('Rate limited'),
  },
})

const ListQuery = PageQuerySchema.extend({
  state: z.enum(CHAT_STATES).optional(),
  waiting: z.enum(['true', 'false']).optional().openapi({ description: 'true: only conversations waiting for a human' }),
  customerId: z.uuid().optional(),
  from: z.iso.date().optional().openapi({ description: 'Started on or after this day (UTC)' }),
  to: z.iso.date().optional().openapi({ description: 'Started on or before this day (UTC)' }),
})

const list = createRoute({
  method: 'get',
  path: '/v1/chats',
  tags: ['Chat'],
  summary: 'Conversations, newest first, with how many wait for a human now',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: ListQuery },
  responses: {
    200: jsonResponse('A page of conversations', z.object({ data: z.array(ConversationSchema), nextCursor: z.string().nullable(), waiting: z.int() }).openapi('ChatPage')),
    400: INVALID_CURSOR_RESPONSE,
    401: denied[401],
    403: errorResponse('Scope missing, or a publishable key'),
    429: denied[429],
  },
})

const messages = createRoute({
  method: 'get',
  path: '/v1/chats/{id}/messages',
  tags: ['Chat'],
  summary: 'A conversation\'s messages after a seq, oldest first, with the assistant\'s provider, model, tokens, cost and latency',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: IdParam, query: z.object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT).default(50) }) },
  responses: {
    200: jsonResponse('Messages', z.object({ data: z.array(ChatMessageSchema), nextAfterSeq: z.int().nullable() }).openapi('ChatMessagePage')),
    400: errorResponse('Bad id or query'),
    401: denied[401],
    403: errorResponse('Scope missing, or a publishable key'),
    404: errorResponse('No such conversation'),
    429: denied[429],
  },
})

const changeState = createRoute({
  method: 'post',
  path: '/v1/chats/{id}/state',
  tags: ['Chat'],
  summary: 'An agent takes over (human), hands back to the assistant, or closes the conversation',
  middleware: requireMember(),
  security: MEMBER_CREDENTIAL,
  request: { params: IdParam, body: jsonBody(z.object({ state: z.enum(['human', 'assistant', 'closed']) }).openapi('ChatStateChange')) },
  responses: {
    200: jsonResponse('The conversation', ConversationSchema),
    400: errorResponse('Invalid state'),
    401: denied[401],
    403: errorResponse('Not a member'),
    404: errorResponse('No such conversation'),
    429: denied[429],
  },
})

function listConditions(tenantId: string, query: z.infer<typeof ListQuery>): SQL[] {
  const conditions: SQL[] = [sql`tenant_id = ${tenantId}`]
  if (query.state) conditions.push(sql`state = ${query.state}`)
  if (query.waiting === 'true') conditions.push(sql`state = 'waiting'`)
  if (query.waiting === 'false') conditions.push(sql`state <> 'waiting'`)
  if (query.customerId) conditions.push(sql`customer_id = ${query.customerId}`)
  if (query.from) conditions.push(sql`created_at >= ${query.from}::date`)
  if (query.to) conditions.push(sql`created_at < ${query.to}::date + 1`)
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, z.tuple([CursorPart.timestamp, CursorPart.uuid]))
    conditions.push(sql`(created_at, id) < (${at}::timestamptz, ${id}::uuid)`)
  }
  return conditions
}

export const chatRoutes = createRouter()
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    const publishable = isPublishable(caller)
    if (publishable && input.customerId) {
      throw new ApiError('invalid_request', 'A publishable key cannot name a customer', { details: [{ in: 'body', path: 'customerId', message: 'needs a server key or a member', code: 'custom' }] })
    }
    if (input.cartId) {
      const cart = await cartStub(c.env, caller.tenantId, input.cartId).read()
      if (!cart.ok) throw new ApiError('not_found', 'No such cart')
      await assertCartAccess(cart.cart, publishable, c.req.header('x-cart-secret'))
    }
    const secret = publishable ? randomToken(CHAT_SECRET_BYTES) : undefined
    const id = crypto.randomUUID()
    const stub = chatRoom(c.env, caller.tenantId, id)
    const conversation = await stub.create({ tenantId: caller.tenantId, id, customerId: input.customerId ?? null, cartId: input.cartId ?? null, secretHash: secret === undefined ? null : await sha256Hex(secret) })
    return c.json({ id, state: conversation.state, ...(secret === undefined ? {} : { secret }) }, 201)
  })
  .openapi(live, async (c) => {
    const caller = c.var.caller
    await assertChatOrigin(c, caller.tenantId)
    const { stub, conversation } = await conversationOrThrow(c.env, caller.tenantId, c.req.valid('param').id)
    const participant = await participantFor(c, caller, conversation, c.req.valid('query').secret)
    return connectToRoom(stub, c.req.raw, caller, participant) as never
  })
  .openapi(list, async (c) => {
    const query = c.req.valid('query')
    const tenantId = c.var.caller.tenantId
    if (isPublishable(c.var.caller)) throw new ApiError('forbidden', 'Publishable keys cannot list conversations')
    const where = sql.join(listConditions(tenantId, query), sql` and `)
    const db = c.var.db.get()
    const [rows, waiting] = await Promise.all([
      queryRows<ConversationRow>(db, sql`select *, created_at::text as created_at_text from chat_conversations where ${where} order by created_at desc, id desc limit ${query.limit + 1}`),
      waitingCount(db, tenantId),
    ])
    const page = rows.slice(0, query.limit)
    const last = page.at(-1)
    return c.json({ data: page.map(conversationFromRow), nextCursor: rows.length > query.limit && last ? encodeCursor([last.created_at_text, last.id]) : null, waiting }, 200)
  })
  .openapi(messages, async (c) => {
    const { afterSeq, limit } = c.req.valid('query')
    const { stub } = await conversationOrThrow(c.env, c.var.caller.tenantId, c.req.valid('param').id)
    const page = await stub.transcript(afterSeq, limit)
    return c.json({ data: page.messages, nextAfterSeq: page.truncated ? (page.messages.at(-1)?.seq ?? null) : null }, 200)
  })
  .openapi(changeState, async (c) => {
    const caller = c.var.caller
    if (caller.kind !== 'user') throw new ApiError('forbidden', 'Only members answer conversations')
    const { state } = c.req.valid('json')
    const { stub } = await conversationOrThrow(c.env, caller.tenantId, c.req.valid('param').id)
    const agentName = state === 'human' ? await memberName(c.var.db.get(), caller.userId) : null
    const changed = await stub.changeState({ state, agentUserId: state === 'human' ? caller.userId : null, agentName })
    if (!changed) throw new ApiError('not_found', 'No such conversation')
    return c.json(conversationFromRoom(changed), 200)
  })
