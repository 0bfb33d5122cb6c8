// Who is on a socket of a room: the shopper or a tenant's agent, sent by the Worker on the upgrade after it
// authenticated them, and kept (with the connection's message budget) in the socket's hibernation attachment.
import type { Connection } from 'partyserver'
import type { CredentialState } from '../lib/socket-credentials'

/** Header the Worker sets on the upgrade it forwards; objects are reached only through the Worker. */
export const PARTICIPANT_HEADER = 'x-vitrina-chat-participant'

/** A shopper (publishable key and the conversation secret) or an agent (a member's access token). */
export interface Participant {
  role: 'shopper' | 'agent'
  userId: string | null
  name: string | null
}

/** What a chat socket keeps across hibernation. */
export interface ChatSocketState extends CredentialState {
  participant: Participant
  /** Start of the current one-minute window and the messages sent in it. */
  windowStart: number
  windowCount: number
}

/** Serialises a participant for PARTICIPANT_HEADER. */
export function encodeParticipant(participant: Participant): string {
  return JSON.stringify(participant)
}

/** The participant the Worker attached to an upgrade, or null when missing or malformed. */
export function participantOf(request: Request): Participant | null {
  const raw = request.headers.get(PARTICIPANT_HEADER)
  if (!raw) return null
  try {
    const value = JSON.parse(raw) as Partial<Participant>
    if (value.role !== 'shopper' && value.role !== 'agent') return null
    return { role: value.role, userId: typeof value.userId === 'string' ? value.userId : null, name: typeof value.name === 'string' ? value.name : null }
  } catch {
    return null
  }
}

/** The socket's state, or null before it was bound. */
export function socketState(connection: Connection): ChatSocketState | null {
  const state = connection.state as Partial<ChatSocketState> | null
  return state?.participant && state.credential ? (state as ChatSocketState) : null
}

/** Counts one message against the connection's per-minute budget; false when the budget is spent. */
export function spendMessageBudget(connection: Connection, perMinute: number, now = Date.now()): boolean {
  const state = socketState(connection)
  if (!state) return false
  const fresh = now - state.windowStart >= 60_000
  const windowStart = fresh ? now : state.windowStart
  const windowCount = (fresh ? 0 : state.windowCount) + 1
  connection.setState({ ...state, windowStart, windowCount } satisfies ChatSocketState)
  return windowCount <= perMinute
}
