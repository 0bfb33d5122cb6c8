// The storefront chat widget (/widget.js): a shop pastes one script tag with its publishable key; shoppers get a chat
// bubble with history after reload, streamed replies, product cards with add-to-cart, reconnection after network loss,
// in Spanish or English. Plain DOM (no framework) to stay a few KB; text is always set as textContent.
import { WebSocket as ReconnectingSocket } from 'partysocket'
import { parseServerMessage, type ChatClientMessage, type ChatMessageView, type ChatPart, type ChatServerMessage, type ProductCard } from '../../workers/chat/protocol'
import { WIDGET_TEXT, type WidgetLanguage } from './text'

interface Saved {
  id: string
  secret: string
  lastSeq: number
  cart?: { id: string; secret: string }
}

const script = document.currentScript as HTMLScriptElement | null
const key = script?.dataset.key ?? ''
const base = script ? new URL(script.src).origin : location.origin
const currency = script?.dataset.currency
const language: WidgetLanguage = (script?.dataset.lang ?? navigator.language).toLowerCase().startsWith('en') ? 'en' : 'es'
const t = WIDGET_TEXT[language]
const storageKey = `vitrina-chat:${key.slice(0, 16)}`

function style(el: HTMLElement, css: Partial<CSSStyleDeclaration>): HTMLElement {
  Object.assign(el.style, css)
  return el
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, css: Partial<CSSStyleDeclaration> = {}, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  style(el, css)
  if (text !== undefined) el.textContent = text
  return el
}

const load = (): Saved | null => {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Saved | null
  } catch {
    return null
  }
}
const save = (saved: Saved) => localStorage.setItem(storageKey, JSON.stringify(saved))

async function call<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`${path}: ${res.status}`)
  return (await res.json()) as T
}

function money(amount: number | null, code: string | null): string {
  if (amount === null || code === null) return ''
  const format = new Intl.NumberFormat(language === 'es' ? 'es-MX' : 'en-US', { style: 'currency', currency: code })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  return format.format(amount / 10 ** digits)
}

const root = element('div', { position: 'fixed', right: '16px', bottom: '16px', zIndex: '2147483000', font: '14px system-ui, sans-serif' })
const bubble = element('button', { width: '56px', height: '56px', borderRadius: '28px', border: 'none', background: '#111', color: '#fff', cursor: 'pointer', fontSize: '24px' }, '💬')
bubble.setAttribute('aria-label', t.open)
const panel = element('div', { display: 'none', flexDirection: 'column', width: '340px', height: '480px', background: '#fff', border: '1px solid #ddd', borderRadius: '12px', boxShadow: '0 8px 24px rgba(0,0,0,.15)', overflow: 'hidden' })
const header = element('div', { padding: '10px 12px', background: '#111', color: '#fff', display: 'flex', justifyContent: 'space-between' }, t.title)
const status = element('span', { fontSize: '12px', opacity: '0.8' })
header.append(status)
const list = element('div', { flex: '1', overflowY: 'auto', padding: '8px' })
list.setAttribute('role', 'log')
list.setAttribute('aria-live', 'polite')
const typing = element('div', { fontSize: '12px', color: '#666', padding: '0 8px', minHeight: '16px' })
const form = element('form', { display: 'flex', borderTop: '1px solid #eee' })
const input = element('input', { flex: '1', border: 'none', padding: '10px', font: 'inherit' })
input.placeholder = t.placeholder
input.maxLength = 4000
const human = element('button', { border: 'none', background: 'none', cursor: 'pointer', padding: '0 8px' }, '🙋')
human.type = 'button'
human.title = t.human
form.append(input, human)
panel.append(header, list, typing, form)
root.append(panel, bubble)

const rows = new Map<number, HTMLElement>()
const streams = new Map<string, { el: HTMLElement; text: string }>()
let saved = load()
let socket: ReconnectingSocket | null = null

function productCard(card: ProductCard): HTMLElement {
  const box = element('div', { display: 'flex', gap: '8px', border: '1px solid #eee', borderRadius: '8px', padding: '6px', margin: '4px 0' })
  if (card.image) {
    const img = element('img', { width: '56px', height: '56px', objectFit: 'cover', borderRadius: '4px' })
    img.src = `${base}${card.image}`
    img.alt = card.name
    box.append(img)
  }
  const info = element('div', { flex: '1' })
  info.append(element('div', { fontWeight: '600' }, card.name), element('div', {}, money(card.price, card.currency)), element('div', { fontSize: '12px', color: card.available > 0 ? '#070' : '#a00' }, card.available > 0 ? t.inStock : t.outOfStock))
  const sku = card.skus[0]
  if (sku && card.available > 0 && card.currency) {
    const add = element('button', { marginTop: '4px', cursor: 'pointer' }, t.addToCart)
    add.type = 'button'
    add.onclick = () => void addToCart(sku, card.currency ?? 'USD').then(() => (add.textContent = t.added), () => (add.textContent = t.failed))
    info.append(add)
  }
  box.append(info)
  return box
}

function renderParts(parts: readonly ChatPart[]): HTMLElement[] {
  return parts.map((part) => {
    if (part.type === 'text') return element('div', { whiteSpace: 'pre-wrap' }, part.text)
    if (part.type === 'products') {
      const group = element('div')
      group.append(...part.products.map(productCard))
      return group
    }
    return element('div', { fontSize: '12px', color: '#070' }, `${t.added}: ${part.sku} × ${part.quantity}`)
  })
}

function row(role: ChatMessageView['role'], author: string | null): HTMLElement {
  const mine = role === 'shopper'
  const el = element('div', { margin: '6px 0', padding: '8px 10px', borderRadius: '10px', maxWidth: '85%', background: mine ? '#111' : '#f2f2f2', color: mine ? '#fff' : '#111', marginLeft: mine ? 'auto' : '0' })
  if (!mine && author) el.append(element('div', { fontSize: '11px', opacity: '0.7' }, author))
  return el
}

function show(message: ChatMessageView): void {
  const el = row(message.role, message.author)
  el.append(...renderParts(message.parts))
  if (message.interrupted) el.append(element('div', { fontSize: '11px', opacity: '0.7' }, t.interrupted))
  const existing = rows.get(message.seq)
  if (existing) existing.replaceWith(el)
  else list.append(el)
  rows.set(message.seq, el)
  if (saved && message.seq > saved.lastSeq) save((saved = { ...saved, lastSeq: message.seq }))
  list.scrollTop = list.scrollHeight
}

function onFrame(frame: ChatServerMessage): void {
  switch (frame.type) {
    case 'history':
      frame.messages.forEach(show)
      status.textContent = t.states[frame.state]
      return
    case 'message':
      streams.forEach((s, id) => {
        if (rows.has(frame.message.seq) || s.el.dataset.seq !== String(frame.message.seq)) return
        s.el.remove()
        streams.delete(id)
      })
      return show(frame.message)
    case 'delta': {
      let stream = streams.get(frame.streamId)
      if (!stream) {
        stream = { el: row('assistant', null), text: '' }
        stream.el.dataset.seq = String(frame.seq)
        list.append(stream.el)
        streams.set(frame.streamId, stream)
      }
      stream.text = stream.text.slice(0, frame.offset) + frame.text
      stream.el.textContent = stream.text
      list.scrollTop = list.scrollHeight
      return
    }
    case 'stream-end':
      streams.get(frame.streamId)?.el.remove()
      streams.delete(frame.streamId)
      return
    case 'typing':
      typing.textContent = frame.role === 'shopper' ? '' : t.typing
      setTimeout(() => (typing.textContent = ''), 3_000)
      return
    case 'handoff':
      status.textContent = frame.agentName ? `${t.states[frame.state]} · ${frame.agentName}` : t.states[frame.state]
      return
    case 'error':
      list.append(element('div', { fontSize: '12px', color: '#a00' }, t.errors[frame.code] ?? frame.message))
      return
    default:
      return
  }
}

function send(message: ChatClientMessage): void {
  socket?.send(JSON.stringify(message))
}

async function connect(): Promise<void> {
  if (!saved) {
    const cart = currency ? await call<{ id: string; secret: string }>('/v1/carts', { currency }) : undefined
    const chat = await call<{ id: string; secret: string }>('/v1/chats', cart ? { cartId: cart.id } : {}, cart ? { 'x-cart-secret': cart.secret } : {})
    save((saved = { id: chat.id, secret: chat.secret, lastSeq: 0, ...(cart ? { cart } : {}) }))
  }
  const conversation = saved
  const url = `${base.replace(/^http/, 'ws')}/v1/chats/${conversation.id}/live?key=${encodeURIComponent(key)}&secret=${encodeURIComponent(conversation.secret)}`
  socket = new ReconnectingSocket(url)
  // The seq this page shows, not the stored one: a reloaded page holds nothing yet and asks for the whole history.
  socket.addEventListener('open', () => send({ type: 'hello', lastSeq: Math.max(0, ...rows.keys()) }))
  socket.addEventListener('message', (event: MessageEvent) => {
    const frame = typeof event.data === 'string' ? parseServerMessage(event.data) : null
    if (frame) onFrame(frame)
  })
}

async function addToCart(sku: string, code: string): Promise<void> {
  if (!saved) return
  if (!saved.cart) save((saved = { ...saved, cart: await call<{ id: string; secret: string }>('/v1/carts', { currency: code }) }))
  const cart = saved.cart
  if (cart) await call(`/v1/carts/${cart.id}/items`, { sku, quantity: 1 }, { 'x-cart-secret': cart.secret })
}

bubble.onclick = () => {
  const open = panel.style.display === 'none'
  panel.style.display = open ? 'flex' : 'none'
  if (open && !socket) void connect().catch(() => list.append(element('div', { color: '#a00' }, t.failed)))
}
form.onsubmit = (event) => {
  event.preventDefault()
  const text = input.value.trim()
  if (!text) return
  send({ type: 'message', clientId: crypto.randomUUID(), text })
  input.value = ''
}
input.oninput = () => send({ type: 'typing' })
human.onclick = () => send({ type: 'handoff' })
document.body.append(root)
if (saved) bubble.click()
