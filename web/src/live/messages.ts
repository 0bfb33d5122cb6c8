// Checks every realtime message against the shared stock protocol (durable-objects/inventory/protocol.ts) before the UI
// uses it: anything that does not match the union is dropped.
import type { InventoryServerMessage, LowStockMessage, StockLevelMessage } from '../../../durable-objects/inventory/protocol'
import { jsonObjectFrame } from '../../../workers/lib/json-frame'

export type { InventoryServerMessage, StockLevelMessage }

type Shape = Record<string, unknown>

const isObject = (value: unknown): value is Shape => typeof value === 'object' && value !== null
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

function isLevel(value: unknown): value is StockLevelMessage {
  return isObject(value) && typeof value.sku === 'string' && typeof value.location === 'string' && isNumber(value.onHand) && isNumber(value.reserved) && isNumber(value.available)
}

function isAlert(value: unknown): value is LowStockMessage {
  return isObject(value) && isNumber(value.id) && typeof value.sku === 'string' && typeof value.location === 'string' && isNumber(value.threshold) && isNumber(value.available)
}

const listOf = <T>(value: unknown, item: (entry: unknown) => entry is T): value is T[] => Array.isArray(value) && value.every(item)

/** The message in `data` when it is one of the protocol's messages, with every field of the right type; otherwise null. */
export function parseServerMessage(data: unknown): InventoryServerMessage | null {
  const message = jsonObjectFrame(data)
  if (!message || typeof message.tenantId !== 'string' || !isNumber(message.shard) || !isNumber(message.at)) return null
  const type = message.type as InventoryServerMessage['type']
  switch (type) {
    case 'stock.snapshot':
      return listOf(message.levels, isLevel) && typeof message.truncated === 'boolean' ? (message as InventoryServerMessage) : null
    case 'stock.changed':
      return listOf(message.changes, isLevel) ? (message as InventoryServerMessage) : null
    case 'stock.low':
      return listOf(message.alerts, isAlert) ? (message as InventoryServerMessage) : null
    default:
      return null
  }
}
