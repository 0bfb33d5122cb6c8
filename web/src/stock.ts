// How the UI classifies a stock level (red / yellow / green) and pages through every level of the tenant.
import type { MessageKey } from './i18n'
import { api } from './api/client'
import type { Schemas } from './api/schema'

/** A level with the product and variant its SKU belongs to (when the page asked for them). */
export type Level = Schemas['LabelledStockLevel']
export type StockState = 'out' | 'low' | 'ok'

/** Largest page the API hands out. */
export const PAGE_LIMIT = 200

/** Red when nothing is available, yellow at or under the low-stock threshold, green otherwise. */
export function stockState(level: Pick<Level, 'available' | 'lowStockThreshold'>): StockState {
  if (level.available <= 0) return 'out'
  if (level.lowStockThreshold !== null && level.available <= level.lowStockThreshold) return 'low'
  return 'ok'
}

/** Words for a state, next to its colour (colour alone is not enough). */
export const STOCK_STATE_LABEL: Record<StockState, MessageKey> = { out: 'stock.state.out', low: 'stock.state.low', ok: 'stock.state.ok' }

/** Every level of the tenant (all shards) with its product and variant names, following cursors up to `maxPages` pages. */
export async function allLevels(maxPages = 20): Promise<{ levels: Level[]; complete: boolean }> {
  const levels: Level[] = []
  let cursor: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const result = await api.get('/v1/inventory', { query: { limit: PAGE_LIMIT, include: 'product', ...(cursor ? { cursor } : {}) } })
    levels.push(...result.data)
    if (!result.nextCursor) return { levels, complete: true }
    cursor = result.nextCursor
  }
  return { levels, complete: false }
}
