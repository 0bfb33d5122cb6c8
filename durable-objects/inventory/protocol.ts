// The realtime stock protocol: every message an Inventory object sends to subscribers, shared by the object and the admin UI.

/** One level as subscribers see it. */
export interface StockLevelMessage {
  sku: string
  location: string
  onHand: number
  reserved: number
  available: number
}

/** One low-stock alert as subscribers see it. */
export interface LowStockMessage {
  id: number
  sku: string
  location: string
  threshold: number
  available: number
}

/** Messages from an Inventory object to its subscribers. */
export type InventoryServerMessage =
  /** Sent once on connect: the shard's levels, at most a bounded number (`truncated` when there are more; page the rest over HTTP). */
  | { type: 'stock.snapshot'; tenantId: string; shard: number; levels: StockLevelMessage[]; truncated: boolean; at: number }
  /** Sent after every committed change of stock, one message per operation. */
  | { type: 'stock.changed'; tenantId: string; shard: number; changes: StockLevelMessage[]; at: number }
  /** Sent when levels fall below their low-stock threshold. */
  | { type: 'stock.low'; tenantId: string; shard: number; alerts: LowStockMessage[]; at: number }

/** Parses a message received from an Inventory object; null for anything that is not one. */
export function parseInventoryMessage(data: string): InventoryServerMessage | null {
  try {
    const message: unknown = JSON.parse(data)
    if (typeof message !== 'object' || message === null || !('type' in message)) return null
    const known: string[] = ['stock.snapshot', 'stock.changed', 'stock.low'] satisfies InventoryServerMessage['type'][]
    return typeof message.type === 'string' && known.includes(message.type) ? (message as InventoryServerMessage) : null
  } catch {
    return null
  }
}
