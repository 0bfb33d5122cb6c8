// The state of one conversation as an agent follows it live: messages by seq, replies being streamed, the room's
// state and agent, who is present and typing; built from the room's frames over `openChat`.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ChatClientMessage, ChatErrorCode, ChatMessageView, ChatRole, ChatServerMessage, ChatState } from '../../../workers/chat/protocol'
import { openChat, type ChatLink, type ChatLinkStatus } from './chat-socket'

/** How long a typing indicator stays without a new `typing` frame. */
const TYPING_SHOWN_MS = 3_000

/** A reply being streamed: the seq its final message will take and the text so far. */
export interface LiveStream {
  streamId: string
  seq: number
  text: string
}

/** Everything the transcript renders. */
export interface ChatRoomView {
  status: ChatLinkStatus
  messages: ChatMessageView[]
  streams: LiveStream[]
  state: ChatState | null
  agentName: string | null
  presence: { shoppers: number; agents: string[] }
  typing: ChatRole | null
  error: ChatErrorCode | null
}

const EMPTY: ChatRoomView = { status: 'connecting', messages: [], streams: [], state: null, agentName: null, presence: { shoppers: 0, agents: [] }, typing: null, error: null }

/** Applies one server frame to the view (pure, so the order of frames is all that matters). */
export function applyFrame(view: ChatRoomView, frame: ChatServerMessage): ChatRoomView {
  const withMessages = (incoming: ChatMessageView[]): ChatMessageView[] => {
    const bySeq = new Map(view.messages.map((m) => [m.seq, m]))
    for (const message of incoming) bySeq.set(message.seq, message)
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
  }
  switch (frame.type) {
    case 'history':
      return { ...view, messages: withMessages(frame.messages), state: frame.state, agentName: frame.agentName }
    case 'message':
      return { ...view, messages: withMessages([frame.message]), streams: view.streams.filter((s) => s.seq !== frame.message.seq), typing: frame.message.role === view.typing ? null : view.typing }
    case 'delta': {
      if (view.messages.some((m) => m.seq === frame.seq)) return view
      const current = view.streams.find((s) => s.streamId === frame.streamId)
      const text = (current?.text ?? '').slice(0, frame.offset).padEnd(frame.offset) + frame.text
      const others = view.streams.filter((s) => s.streamId !== frame.streamId)
      return { ...view, streams: [...others, { streamId: frame.streamId, seq: frame.seq, text }] }
    }
    case 'stream-end':
      return { ...view, streams: view.streams.filter((s) => s.streamId !== frame.streamId) }
    case 'presence':
      return { ...view, presence: { shoppers: frame.shoppers, agents: frame.agents } }
    case 'typing':
      return { ...view, typing: frame.role }
    case 'handoff':
      return { ...view, state: frame.state, agentName: frame.agentName }
    case 'error':
      return { ...view, error: frame.code }
    default:
      return view
  }
}

/** Follows conversation `id` until unmounted or `id` changes; `send` writes to the room. */
export function useChatRoom(id: string): { view: ChatRoomView; send: (frame: ChatClientMessage) => void; clearError: () => void } {
  const [view, setView] = useState<ChatRoomView>(EMPTY)
  const lastSeq = useRef(0)
  const link = useRef<ChatLink | null>(null)
  useEffect(() => {
    setView(EMPTY)
    lastSeq.current = 0
    let typingTimer: ReturnType<typeof setTimeout> | undefined
    const onFrame = (frame: ChatServerMessage) => {
      setView((previous) => {
        const next = applyFrame(previous, frame)
        lastSeq.current = next.messages.at(-1)?.seq ?? lastSeq.current
        return next
      })
      if (frame.type === 'typing') {
        clearTimeout(typingTimer)
        typingTimer = setTimeout(() => setView((previous) => ({ ...previous, typing: null })), TYPING_SHOWN_MS)
      }
    }
    const opened = openChat(id, () => lastSeq.current, onFrame, (status) => setView((previous) => ({ ...previous, status })))
    link.current = opened
    return () => {
      clearTimeout(typingTimer)
      opened.close()
      link.current = null
    }
  }, [id])
  return { view, send: (frame) => link.current?.send(frame), clearError: () => setView((previous) => ({ ...previous, error: null })) }
}
