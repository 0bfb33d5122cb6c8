// The storefront widget's words in Spanish and English (the widget is outside the admin UI's catalogue to stay small).
import type { ChatErrorCode, ChatState } from '../../workers/chat/protocol'

export type WidgetLanguage = 'es' | 'en'

interface WidgetText {
  open: string
  title: string
  placeholder: string
  human: string
  typing: string
  inStock: string
  outOfStock: string
  addToCart: string
  added: string
  failed: string
  interrupted: string
  states: Record<ChatState, string>
  errors: Partial<Record<ChatErrorCode, string>>
}

export const WIDGET_TEXT: Record<WidgetLanguage, WidgetText> = {
  es: {
    open: 'Abrir el chat',
    title: 'Chat',
    placeholder: 'Escribe un mensaje…',
    human: 'Hablar con una persona',
    typing: 'Escribiendo…',
    inStock: 'Disponible',
    outOfStock: 'Agotado',
    addToCart: 'Añadir al carrito',
    added: 'Añadido',
    failed: 'No se pudo',
    interrupted: '(respuesta interrumpida)',
    states: { assistant: 'Asistente', waiting: 'Esperando a una persona', human: 'Con una persona', closed: 'Cerrado' },
    errors: { quota_exceeded: 'El chat no está disponible por ahora.', rate_limited: 'Demasiados mensajes; espera un momento.', conversation_closed: 'La conversación está cerrada.', assistant_failed: 'El asistente no pudo responder.' },
  },
  en: {
    open: 'Open the chat',
    title: 'Chat',
    placeholder: 'Type a message…',
    human: 'Talk to a person',
    typing: 'Typing…',
    inStock: 'In stock',
    outOfStock: 'Out of stock',
    addToCart: 'Add to cart',
    added: 'Added',
    failed: 'Could not do it',
    interrupted: '(reply interrupted)',
    states: { assistant: 'Assistant', waiting: 'Waiting for a person', human: 'With a person', closed: 'Closed' },
    errors: { quota_exceeded: 'The chat is not available right now.', rate_limited: 'Too many messages; wait a moment.', conversation_closed: 'The conversation is closed.', assistant_failed: 'The assistant could not answer.' },
  },
}
