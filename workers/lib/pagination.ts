// Cursor pagination shared by every list: `?limit&cursor` in, `{data, nextCursor}` out; cursors are opaque and stable
// under concurrent inserts because they name the last row's sort key, not an offset.
import { z } from '@hono/zod-openapi'
import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { ApiError } from './errors'

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200

/** Query parameters of a paginated list. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi({ description: `1–${MAX_PAGE_SIZE}` }),
  cursor: z.string().max(512).optional().openapi({ description: 'nextCursor of the previous page' }),
})

/** The envelope of a paginated list of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}

/** Encodes a row's sort key as an opaque cursor. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return btoa(JSON.stringify(key)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** Decodes a cursor into `length` sort-key parts; a tampered cursor is a 400, not a 500. */
export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const parts: unknown = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')))
    if (Array.isArray(parts) && parts.length === length && parts.every((p) => typeof p === 'string')) return parts
  } catch {
    // Falls through to the error below.
  }
  throw new ApiError('invalid_request', 'The cursor is not valid for this list', { details: [{ in: 'query', path: 'cursor', message: 'invalid cursor' }] })
}

/** Splits a fetched `limit + 1` rows into the page and the cursor of its last row. */
export function toPage<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item, keyOf: (row: Row) => string[]) {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return { data: page.map(toItem), nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null }
}

/** A timestamp column as Postgres text, so a cursor keeps its full microsecond precision. */
export function timestampText(column: PgColumn): SQL<string> {
  return sql<string>`${column}::text`
}

/** Rows after a newest-first `(createdAt, id)` cursor; undefined (no condition) without a cursor. */
export function olderThan(createdAt: PgColumn, id: PgColumn, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined
  const [at = '', lastId = ''] = decodeCursor(cursor, 2)
  const cursorAt = sql`${at}::timestamptz`
  return or(lt(createdAt, cursorAt), and(eq(createdAt, cursorAt), lt(id, lastId)))
}

/**
 * Newest-first order on `(createdAt, id)`. The indexes are `DESC NULLS LAST` (drizzle's `.desc()`), and Postgres only
 * walks an index whose null ordering matches the query's, so the order says NULLS LAST too.
 */
export function newestFirst(createdAt: PgColumn, id: PgColumn): SQL[] {
  return [sql`${createdAt} desc nulls last`, sql`${id} desc nulls last`]
}
