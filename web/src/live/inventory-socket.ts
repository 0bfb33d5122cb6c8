// The live stock feed: one WebSocket per inventory shard of the tenant, authenticated with the access token offered as a
// subprotocol (never in the URL), reconnecting with backoff and a refreshed token after a drop.
import { currentAccessToken, refreshAccessToken } from '../api/session'
import { parseServerMessage, type InventoryServerMessage } from './messages'

/** The subprotocol the API echoes (workers/inventory/live.ts); the credential is offered beside it. */
const LIVE_SUBPROTOCOL = 'vitrina.inventory'
const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 15_000

export type LiveStatus = 'connecting' | 'live' | 'offline'

/** Follows every shard until the returned function is called. */
export function followInventory(shardCount: number, onMessage: (message: InventoryServerMessage) => void, onStatus: (status: LiveStatus) => void): () => void {
  let stopped = false
  const open = new Set<number>()
  const sockets = new Map<number, WebSocket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const report = () => onStatus(open.size === shardCount ? 'live' : open.size === 0 ? 'offline' : 'connecting')

  const connect = async (shard: number, attempt: number): Promise<void> => {
    const token = attempt > 0 ? ((await refreshAccessToken().catch(() => null)) ?? currentAccessToken()) : currentAccessToken()
    if (stopped || !token) return
    const url = new URL(`/v1/inventory/live?shard=${shard}`, window.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    const socket = new WebSocket(url, [LIVE_SUBPROTOCOL, token])
    sockets.set(shard, socket)
    let opened = false
    socket.onopen = () => {
      opened = true
      open.add(shard)
      report()
    }
    socket.onmessage = (event) => {
      const message = parseServerMessage(event.data)
      if (message) onMessage(message)
    }
    socket.onclose = () => {
      open.delete(shard)
      sockets.delete(shard)
      report()
      if (stopped) return
      const next = opened ? 0 : attempt + 1
      const timer = setTimeout(() => {
        timers.delete(timer)
        void connect(shard, next)
      }, Math.min(FIRST_RETRY_MS * 2 ** next, MAX_RETRY_MS))
      timers.add(timer)
    }
  }

  onStatus('connecting')
  for (let shard = 0; shard < shardCount; shard++) void connect(shard, 0)
  return () => {
    stopped = true
    for (const timer of timers) clearTimeout(timer)
    for (const socket of sockets.values()) socket.close(1000, 'page closed')
  }
}

/** The tenant's shard count from its settings, as the Worker reads it (an integer 1–64, else 1). */
export function shardCountOf(settings: Record<string, unknown>): number {
  const value = settings.inventoryShards
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 64 ? value : 1
}
