// A conversation's transcript as an agent sees it: messages by role with their author, product cards from structured
// parts, cart notes, replies still streaming, and who is typing.
import { useEffect, useRef } from 'preact/hooks'
import type { ChatMessageView, ChatPart, ChatRole, ProductCard } from '../../../workers/chat/protocol'
import { t, type MessageKey } from '../i18n'
import { formatDateTime } from '../i18n/format'
import { formatMoney } from '../money'
import type { LiveStream } from '../live/use-chat-room'
import { MediaImage } from './media-image'

const ROLE_LABELS: Record<ChatRole, MessageKey> = { shopper: 'chats.role.shopper', assistant: 'chats.role.assistant', agent: 'chats.role.agent', system: 'chats.role.system' }

function ProductCardView(props: { card: ProductCard }) {
  const { card } = props
  return (
    <div class="chat-product" data-testid="chat-product-card">
      {card.image ? <MediaImage path={card.image} alt={card.name} class="chat-product-image" /> : <div class="chat-product-image" />}
      <div>
        <strong>{card.name}</strong>
        <div>{card.price !== null && card.currency ? formatMoney(card.price, card.currency) : t('chats.noPrice')}</div>
        <small class={card.available > 0 ? 'chat-stock--in' : 'chat-stock--out'}>{card.available > 0 ? t('chats.inStock', { count: card.available }) : t('chats.outOfStock')}</small>
      </div>
    </div>
  )
}

function Part(props: { part: ChatPart }) {
  const { part } = props
  if (part.type === 'text') return <p class="chat-text">{part.text}</p>
  if (part.type === 'products') {
    return (
      <div class="chat-products">
        {part.products.map((card) => (
          <ProductCardView key={card.id} card={card} />
        ))}
      </div>
    )
  }
  return <small class="muted">{t('chats.cartAdded', { sku: part.sku, quantity: part.quantity })}</small>
}

function Message(props: { message: ChatMessageView }) {
  const { message } = props
  return (
    <li class={`chat-message chat-message--${message.role}`} data-role={message.role} data-seq={message.seq}>
      <small class="muted">
        {message.author ?? t(ROLE_LABELS[message.role])} · {formatDateTime(message.createdAt)}
      </small>
      {message.parts.map((part, index) => (
        <Part key={index} part={part} />
      ))}
      {message.interrupted ? <small class="muted">{t('chats.interrupted')}</small> : null}
    </li>
  )
}

/** The message list, scrolled to the newest entry whenever something arrives. */
export function ChatTranscript(props: { messages: ChatMessageView[]; streams: LiveStream[]; typing: ChatRole | null }) {
  const end = useRef<HTMLLIElement>(null)
  const size = props.messages.length + props.streams.reduce((sum, s) => sum + s.text.length, 0)
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [size])
  return (
    <ol class="chat-transcript" aria-live="polite" aria-label={t('chats.transcript')} data-testid="chat-transcript">
      {props.messages.length === 0 && props.streams.length === 0 ? <li class="muted">{t('chats.noMessages')}</li> : null}
      {props.messages.map((message) => (
        <Message key={message.seq} message={message} />
      ))}
      {props.streams.map((stream) => (
        <li key={stream.streamId} class="chat-message chat-message--assistant chat-message--streaming" data-testid="chat-streaming">
          <small class="muted">{t('chats.role.assistant')}</small>
          <p class="chat-text">{stream.text}</p>
        </li>
      ))}
      <li ref={end} class="chat-typing muted" data-testid="chat-typing">
        {props.typing && props.typing !== 'agent' ? t('chats.typing', { who: t(ROLE_LABELS[props.typing]) }) : ''}
      </li>
    </ol>
  )
}
