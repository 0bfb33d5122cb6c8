// The tenant's realtime channel (GET /v1/tenant/live): one WebSocket per tab, shared by everything that shows live
// tenant state (the waiting-chats badge, the bell, the Live chats list), opened while any of them is mounted, with the
// access token offered as a subprotocol (never in the URL) and reconnecting with backoff and a refreshed token.
import { useEffect, useRef, useState } from 'preact/hooks'
import { parseTenantMessage, type TenantServerMessage } from '../../../durable-objects/tenant-channel/protocol'
import { currentAccessToken, onSessionChange, refreshAccessToken } from '../api/session'

export type { TenantServerMessage }

/** The subprotocol the API echoes (workers/realtime/tenant-channel.ts); the token is offered beside it. */
const TENANT_SUBPROTOCOL = 'vitrina.tenant'
const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 15_000
/** The server closed the socket because the token expired (durable-objects/lib/socket-credentials.ts). */
const CLOSE_CREDENTIAL_EXPIRED = 4002

/** What the channel knows: `live` once the snapshot arrived; counts are null until then. */
export interface TenantLive {
  status: 'connecting' | 'live' | 'offline'
  waiting: number | null
  unread: number | null
}

let live: TenantLive = { status: 'offline', waiting: null, unread: null }
const stateListeners = new Set<(state: TenantLive) => void>()
const messageListeners = new Set<(message: TenantServerMessage) => void>()
let users = 0
let stopChannel: (() => void) | null = null

function update(patch: Partial<TenantLive>): void {
  live = { ...live, ...patch }
  for (const listener of stateListeners) listener(live)
}

function apply(message: TenantServerMessage): void {
  if (message.type === 'hello') update({ status: 'live', waiting: message.waiting, unread: message.unread })
  else if (message.type === 'waiting') update({ waiting: message.count })
  else if (message.type === 'notifications') update({ unread: message.unread })
  for (const listener of messageListeners) listener(message)
}

/** Opens the socket and keeps it open (reconnecting) until the returned function is called. */
function openChannel(): () => void {
  let stopped = false
  let socket: WebSocket | null = null
  let timer: ReturnType<typeof setTimeout> | undefined

  const connect = async (attempt: number, refresh: boolean): Promise<void> => {
    const token = refresh ? ((await refreshAccessToken().catch(() => null)) ?? currentAccessToken()) : currentAccessToken()
    if (stopped || socket) return
    if (!token) return update({ status: 'offline' })
    const url = new URL('/v1/tenant/live', window.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    const current = new WebSocket(url, [TENANT_SUBPROTOCOL, token])
    socket = current
    update({ status: 'connecting' })
    let opened = false
    current.onopen = () => {
      opened = true
    }
    current.onmessage = (event) => {
      const message = parseTenantMessage(event.data)
      if (message) apply(message)
    }
    current.onclose = (event) => {
      if (socket === current) socket = null
      update({ status: 'offline' })
      if (stopped) return
      const next = opened ? 0 : attempt + 1
      clearTimeout(timer)
      timer = setTimeout(() => void connect(next, next > 0 || event.code === CLOSE_CREDENTIAL_EXPIRED), Math.min(FIRST_RETRY_MS * 2 ** next, MAX_RETRY_MS))
    }
  }

  const unsubscribe = onSessionChange((signedIn) => {
    if (!signedIn) socket?.close(1000, 'signed out')
    else if (!socket) void connect(0, false)
  })
  void connect(0, false)
  return () => {
    stopped = true
    unsubscribe()
    clearTimeout(timer)
    socket?.close(1000, 'page closed')
    socket = null
    update({ status: 'offline' })
  }
}

function join(): () => void {
  users += 1
  stopChannel ??= openChannel()
  return () => {
    users -= 1
    if (users > 0) return
    stopChannel?.()
    stopChannel = null
  }
}

/** The channel's state, following it while the component is mounted (the first user opens the socket). */
export function useTenantLive(): TenantLive {
  const [state, setState] = useState(live)
  useEffect(() => {
    stateListeners.add(setState)
    const leave = join()
    setState(live)
    return () => {
      stateListeners.delete(setState)
      leave()
    }
  }, [])
  return state
}

/** Calls `listener` with every message of the channel while the component is mounted. */
export function useTenantMessages(listener: (message: TenantServerMessage) => void): void {
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => {
    const forward = (message: TenantServerMessage) => latest.current(message)
    messageListeners.add(forward)
    const leave = join()
    return () => {
      messageListeners.delete(forward)
      leave()
    }
  }, [])
}
