// The Live chats page: conversations (waiting for a human first) with the live waiting count, reloaded when the
// tenant's realtime channel says one started or changed state, and the chosen one's live transcript with take over /
// hand back / close, a reply box, and the customer and cart beside it.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { ChatTranscript } from '../components/chat-transcript'
import { EmptyState, ErrorBanner, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatRelative } from '../i18n/format'
import { useTenantLive, useTenantMessages } from '../live/tenant-channel'
import { chatsChanged, useWaitingChats, WAITING_FALLBACK_POLL_MS } from '../live/waiting-chats'
import { useChatRoom } from '../live/use-chat-room'
import { formatMoney } from '../money'
import { navigate, useLocation } from '../router'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { useVisibleInterval } from '../use-visible-interval'
import type { ChatClientMessage, ChatErrorCode, ChatState } from '../../../workers/chat/protocol'
import './live-chats.css'

type Conversation = Schemas['ChatConversation']

/** How many conversations the list shows. */
const LIST_LIMIT = 50
/** How often the list is read again while the realtime channel is not live; while it is, on its `chat` messages and slowly (message counts). */
const LIST_POLL_MS = 5_000

const STATE_LABELS: Record<ChatState, MessageKey> = { assistant: 'chats.state.assistant', waiting: 'chats.state.waiting', human: 'chats.state.human', closed: 'chats.state.closed' }
const ERROR_LABELS: Record<ChatErrorCode, MessageKey> = {
  invalid_message: 'chats.error.invalid_message',
  message_too_large: 'chats.error.message_too_large',
  rate_limited: 'chats.error.rate_limited',
  quota_exceeded: 'chats.error.quota_exceeded',
  room_full: 'chats.error.room_full',
  conversation_closed: 'chats.error.conversation_closed',
  assistant_failed: 'chats.error.assistant_failed',
}
const STATUS_LABELS: Record<'connecting' | 'live' | 'offline', MessageKey> = { connecting: 'chats.link.connecting', live: 'chats.link.live', offline: 'chats.link.offline' }

/** Waiting ones first (longest waiting on top), then the most recently active. */
export function conversationOrder(a: Conversation, b: Conversation): number {
  const aw = a.state === 'waiting' ? 0 : 1
  const bw = b.state === 'waiting' ? 0 : 1
  if (aw !== bw) return aw - bw
  if (aw === 0) return (a.waitingSince ?? '').localeCompare(b.waitingSince ?? '')
  return (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt)
}

function ConversationList(props: { items: Conversation[]; selected: string | null }) {
  if (props.items.length === 0) return <EmptyState title={t('chats.empty')}>{t('chats.emptyText')}</EmptyState>
  return (
    <ul class="chat-list" aria-label={t('chats.conversations')}>
      {[...props.items].sort(conversationOrder).map((c) => (
        <li key={c.id}>
          <a href={`/chats?id=${c.id}`} class={`chat-list-item${c.id === props.selected ? ' chat-list-item--selected' : ''}`} data-state={c.state} data-testid="chat-list-item" onClick={(e) => (e.preventDefault(), navigate(`/chats?id=${c.id}`))} aria-current={c.id === props.selected ? 'true' : undefined}>
            <span class={`badge chat-state--${c.state}`}>{t(STATE_LABELS[c.state])}</span>
            <span>{c.agentName ?? t('chats.messages', { count: c.messageCount })}</span>
            <small class="muted">{formatRelative(c.lastMessageAt ?? c.createdAt)}</small>
          </a>
        </li>
      ))}
    </ul>
  )
}

function Beside(props: { conversation: Conversation | undefined }) {
  const customerId = props.conversation?.customerId ?? null
  const cartId = props.conversation?.cartId ?? null
  const customer = useResource(() => (customerId ? api.get('/v1/customers/{id}', { path: { id: customerId } }) : Promise.resolve(null)), [customerId])
  const cart = useResource(() => (cartId ? api.get('/v1/carts/{id}', { path: { id: cartId } }) : Promise.resolve(null)), [cartId])
  const name = customer.data ? [customer.data.firstName, customer.data.lastName].filter(Boolean).join(' ') || customer.data.email : null
  return (
    <aside class="chat-beside card" aria-label={t('chats.beside')}>
      <h2>{t('chats.customer')}</h2>
      {customer.data ? (
        <p>
          <a href={`/customers/${customer.data.id}`}>{name}</a>
          <br />
          <small class="muted">{customer.data.email}</small>
        </p>
      ) : (
        <p class="muted">{t('chats.anonymous')}</p>
      )}
      <h2>{t('chats.cart')}</h2>
      {cart.data ? (
        cart.data.lines.length === 0 ? (
          <p class="muted">{t('chats.cartEmpty')}</p>
        ) : (
          <ul class="chat-cart" data-testid="chat-cart">
            {cart.data.lines.map((line) => (
              <li key={line.id}>
                {line.quantity} × {line.productName} <small class="muted">{line.sku}</small> {formatMoney(line.unitPrice * line.quantity, cart.data?.currency ?? 'MXN')}
              </li>
            ))}
          </ul>
        )
      ) : (
        <p class="muted">{t('chats.noCart')}</p>
      )}
      <ErrorBanner error={customer.error ?? cart.error} />
    </aside>
  )
}

function ChatRoomPanel(props: { id: string; conversation: Conversation | undefined; reload: () => void }) {
  const { view, send, clearError } = useChatRoom(props.id)
  const [draft, setDraft] = useState('')
  const { error, act } = useAction(() => {
    props.reload()
    chatsChanged()
  })
  const state = view.state ?? props.conversation?.state ?? null
  const change = (next: 'human' | 'assistant' | 'closed') => void act(() => api.post('/v1/chats/{id}/state', { path: { id: props.id }, body: { state: next } }))
  const submit = (event: Event) => {
    event.preventDefault()
    const text = draft.trim()
    if (!text) return
    clearError()
    send({ type: 'message', clientId: crypto.randomUUID(), text } satisfies ChatClientMessage)
    setDraft('')
  }
  return (
    <div class="chat-room">
      <section class="chat-main" aria-label={t('chats.conversation')}>
        <div class="toolbar">
          {state ? (
            <span class={`badge chat-state--${state}`} data-testid="chat-state">
              {t(STATE_LABELS[state])}
              {state === 'human' && view.agentName ? ` · ${view.agentName}` : ''}
            </span>
          ) : null}
          <small class="muted" data-testid="chat-link">
            {t(STATUS_LABELS[view.status])}
            {view.presence.shoppers > 0 ? ` · ${t('chats.shopperOnline')}` : ''}
          </small>
          {state === 'assistant' || state === 'waiting' ? (
            <button type="button" onClick={() => change('human')}>
              {t('chats.takeOver')}
            </button>
          ) : null}
          {state === 'human' || state === 'waiting' ? (
            <button type="button" onClick={() => change('assistant')}>
              {t('chats.handBack')}
            </button>
          ) : null}
          {state !== null && state !== 'closed' ? (
            <button type="button" class="danger" onClick={() => confirm(t('chats.closeConfirm')) && change('closed')}>
              {t('chats.close')}
            </button>
          ) : null}
        </div>
        <ErrorBanner error={error} />
        {view.error ? (
          <p class="banner banner--error" role="alert">
            {t(ERROR_LABELS[view.error])}
          </p>
        ) : null}
        <ChatTranscript messages={view.messages} streams={view.streams} typing={view.typing} />
        <form class="chat-reply" onSubmit={submit}>
          <label class="visually-hidden" for="chat-reply">
            {t('chats.reply')}
          </label>
          <textarea
            id="chat-reply"
            rows={2}
            maxLength={4000}
            value={draft}
            placeholder={state === 'closed' ? t('chats.closedPlaceholder') : t('chats.replyPlaceholder')}
            disabled={state === 'closed'}
            onInput={(e) => {
              setDraft(e.currentTarget.value)
              send({ type: 'typing' } satisfies ChatClientMessage)
            }}
            onKeyDown={(e) => e.key === 'Enter' && !e.shiftKey && submit(e)}
          />
          <button type="submit" disabled={state === 'closed' || draft.trim() === ''}>
            {t('chats.send')}
          </button>
        </form>
      </section>
      <Beside conversation={props.conversation} />
    </div>
  )
}

/** The whole page; `?id=` picks the conversation. */
export function LiveChatsPage() {
  const { search } = useLocation()
  const selected = search.get('id')
  const list = useResource(() => api.get('/v1/chats', { query: { limit: LIST_LIMIT } }), [])
  const waiting = useWaitingChats()
  const channel = useTenantLive()
  useTenantMessages((message) => message.type === 'chat' && list.reload())
  useVisibleInterval(list.reload, channel.status === 'live' ? WAITING_FALLBACK_POLL_MS : LIST_POLL_MS)
  const items = list.data?.data ?? []
  return (
    <section>
      <PageHeader title={t('nav.chats')}>
        <span class="muted" data-testid="chats-waiting">
          {t('chats.waitingCount', { count: waiting ?? list.data?.waiting ?? 0 })}
        </span>
      </PageHeader>
      <ErrorBanner error={list.error} />
      {list.data ? (
        <div class="chats-layout">
          <ConversationList items={items} selected={selected} />
          {selected ? <ChatRoomPanel key={selected} id={selected} conversation={items.find((c) => c.id === selected)} reload={list.reload} /> : <p class="muted">{t('chats.pick')}</p>}
        </div>
      ) : (
        <Skeleton rows={5} />
      )}
    </section>
  )
}
