// The assistant's tools, grounded in the tenant's catalog: product search (full-text and CLIP over active products),
// one product, stock of a SKU, adding to the conversation's cart, and handing off to a person. Each answers the model
// in JSON and the shopper in structured parts (product cards).
import { sql } from 'drizzle-orm'
import { shardFor } from '../../durable-objects/inventory/shards'
import { stockOfProducts, thumbnailsOfProducts } from '../catalog/product-extras'
import { saveCartSummaryQuietly } from '../commerce/cart-summaries'
import { cartStub, pricedItem } from '../commerce/carts'
import { loadCommerceSettings } from '../commerce/settings'
import { queryRows, type Database } from '../db/client'
import { tenantShardCount } from '../inventory/shard-count'
import { ApiError } from '../lib/errors'
import { searchProductsForChat } from './product-search'
import type { ChatPart, ProductCard } from './protocol'
import type { AssistantTool } from './settings'

/** Products one search shows at most. */
const SEARCH_RESULTS = 5
/** Units one add_to_cart call may add. */
const MAX_TOOL_QUANTITY = 20

/** What a tool call needs from the room. */
export interface ToolContext {
  env: Env
  tenantId: string
  cartId: string | null
  db: () => Database
}

/** A tool's answer: JSON for the model, parts for the shopper, and a handoff request. */
export interface ToolResult {
  content: string
  parts: ChatPart[]
  handoff?: string
}

/** OpenAI function definitions of the tools the assistant may use in this conversation. */
export function toolDefinitions(allowed: readonly AssistantTool[], hasCart: boolean): unknown[] {
  const all: Record<AssistantTool, { description: string; parameters: unknown }> = {
    search_products: {
      description: 'Search the shop\'s active products by words; answers cards with price and availability',
      parameters: { type: 'object', properties: { query: { type: 'string' }, maxPrice: { type: 'integer', description: 'Minor units' }, inStock: { type: 'boolean' } }, required: ['query'] },
    },
    get_product: { description: 'One product by id', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    check_stock: { description: 'Units available of a SKU', parameters: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
    add_to_cart: {
      description: 'Add a SKU to the shopper\'s cart',
      parameters: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } }, required: ['sku', 'quantity'] },
    },
    handoff: { description: 'Hand the conversation to a human agent', parameters: { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] } },
  }
  return allowed.filter((name) => name !== 'add_to_cart' || hasCart).map((name) => ({ type: 'function', function: { name, ...all[name] } }))
}

type Args = Record<string, unknown>
const text = (args: Args, key: string) => (typeof args[key] === 'string' ? (args[key] as string).slice(0, 200) : '')
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)

/** Cards of active products, in the order of `ids`. */
async function productCards(db: Database, tenantId: string, ids: string[]): Promise<ProductCard[]> {
  if (ids.length === 0) return []
  const rows = await queryRows<{ id: string; name: string; price: number | null; currency: string | null; skus: string[] }>(
    db,
    sql`select p.id, p.name, min(v.price)::int as price, min(v.currency) as currency, coalesce(array_agg(v.sku order by v.sku) filter (where v.sku is not null), '{}') as skus
        from products p left join variants v on v.product_id = p.id and v.active
        where p.tenant_id = ${tenantId} and p.status = 'active' and p.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
        group by p.id, p.name`,
  )
  const [stock, thumbnails] = await Promise.all([stockOfProducts(db, tenantId, ids), thumbnailsOfProducts(db, tenantId, ids)])
  const byId = new Map(rows.map((row) => [row.id, row]))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    return row ? [{ id, name: row.name, price: row.price, currency: row.currency, image: thumbnails.get(id) ?? null, available: stock.get(id)?.available ?? 0, skus: row.skus }] : []
  })
}

const cardsForModel = (cards: ProductCard[]) => JSON.stringify(cards.map(({ id, name, price, currency, available, skus }) => ({ id, name, price, currency, available, skus })))

/** Runs one tool call; a bad argument or a refused action answers the model an error, never throws. */
export async function runTool(name: string, args: Args, ctx: ToolContext, allowed: readonly AssistantTool[]): Promise<ToolResult> {
  if (!(allowed as readonly string[]).includes(name)) return { content: JSON.stringify({ error: `tool ${name} is not available` }), parts: [] }
  const db = ctx.db()
  switch (name) {
    case 'search_products': {
      const query = text(args, 'query')
      if (!query) return { content: JSON.stringify({ error: 'query is required' }), parts: [] }
      const maxPrice = typeof args.maxPrice === 'number' && Number.isFinite(args.maxPrice) ? Math.max(0, Math.floor(args.maxPrice)) : undefined
      const ids = await searchProductsForChat(ctx.env, db, ctx.tenantId, { query, maxPrice }, SEARCH_RESULTS * 2)
      const cards = (await productCards(db, ctx.tenantId, ids)).filter((card) => args.inStock !== true || card.available > 0).slice(0, SEARCH_RESULTS)
      return { content: cardsForModel(cards), parts: cards.length > 0 ? [{ type: 'products', products: cards }] : [] }
    }
    case 'get_product': {
      const id = text(args, 'id')
      const cards = isUuid(id) ? await productCards(db, ctx.tenantId, [id]) : []
      return cards.length > 0 ? { content: cardsForModel(cards), parts: [{ type: 'products', products: cards }] } : { content: JSON.stringify({ error: 'no such product' }), parts: [] }
    }
    case 'check_stock': {
      const sku = text(args, 'sku')
      const [row] = await queryRows<{ available: number; levels: number }>(db, sql`select coalesce(sum(available), 0)::int as available, count(*)::int as levels from inventory_levels where tenant_id = ${ctx.tenantId} and sku = ${sku}`)
      return { content: JSON.stringify({ sku, available: row?.available ?? 0, tracked: (row?.levels ?? 0) > 0 }), parts: [] }
    }
    case 'add_to_cart':
      return addToCart(ctx, db, text(args, 'sku'), args.quantity)
    case 'handoff': {
      const reason = text(args, 'reason') || 'the assistant asked for a person'
      return { content: JSON.stringify({ ok: true }), parts: [], handoff: reason }
    }
    default:
      return { content: JSON.stringify({ error: `unknown tool ${name}` }), parts: [] }
  }
}

async function addToCart(ctx: ToolContext, db: Database, sku: string, rawQuantity: unknown): Promise<ToolResult> {
  const quantity = typeof rawQuantity === 'number' && Number.isInteger(rawQuantity) ? rawQuantity : 0
  if (!ctx.cartId) return { content: JSON.stringify({ error: 'this conversation has no cart' }), parts: [] }
  if (!sku || quantity < 1 || quantity > MAX_TOOL_QUANTITY) return { content: JSON.stringify({ error: `sku and a quantity from 1 to ${MAX_TOOL_QUANTITY} are required` }), parts: [] }
  try {
    const [{ sku: itemSku, ...item }, settings, shardCount] = await Promise.all([pricedItem(db, ctx.tenantId, sku), loadCommerceSettings(db, ctx.tenantId), tenantShardCount(ctx.tenantId, () => db)])
    const result = await cartStub(ctx.env, ctx.tenantId, ctx.cartId).addLine({
      sku: itemSku,
      quantity,
      location: null,
      locationPriority: settings.locationPriority,
      shard: shardFor(itemSku, shardCount),
      ttlSeconds: settings.cartTtlMinutes * 60,
      item,
    })
    if (!result.ok) return { content: JSON.stringify({ error: result.error.code, message: result.error.message }), parts: [] }
    await saveCartSummaryQuietly(db, result.cart)
    return { content: JSON.stringify({ ok: true, sku, quantity, lines: result.cart.lines.length }), parts: [{ type: 'cart', cartId: ctx.cartId, sku, quantity }] }
  } catch (error) {
    if (error instanceof ApiError) return { content: JSON.stringify({ error: error.code, message: error.message }), parts: [] }
    throw error
  }
}
