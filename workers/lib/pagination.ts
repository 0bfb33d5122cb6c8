// Cursor pagination shared by every list: `?limit&cursor` in, `{data, nextCursor}` out; cursors are opaque and stable
// under concurrent inserts because they name the last row's sort key, not an offset.
import { z } from '@hono/zod-openapi'
import { and, eq, lt, or, sql, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { ApiError } from './errors'
import { errorResponse } from './error-schema'

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

/** The one answer to a cursor that is not one this API made (tampered, truncated, or from another list or sort). */
export function invalidCursor(reason = 'invalid cursor'): ApiError {
  return new ApiError('invalid_cursor', 'The cursor is not valid for this list', { details: [{ in: 'query', path: 'cursor', message: reason, code: 'invalid_cursor' }] })
}

/** The OpenAPI entry of the 400 every paginated route answers for a tampered cursor (and its other invalid input). */
export const INVALID_CURSOR_RESPONSE = errorResponse('invalid_cursor: the cursor was not made by this list; invalid_request: other bad input')

/** Encodes a row's sort key as an opaque cursor (UTF-8 JSON in base64url, so any sort value survives). */
export function encodeCursor(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key))
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/**
 * Decodes a cursor and checks every part with `schema` (a tuple of the sort key's value types), so a well-formed but
 * tampered cursor is a 400 `invalid_cursor` before any of its values reaches SQL, never a 500.
 */
export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.output<T> {
  let parts: unknown
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    parts = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))))
  } catch {
    throw invalidCursor('not an encoded cursor')
  }
  const parsed = schema.safeParse(parts)
  if (!parsed.success) throw invalidCursor(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'cursor'}: ${issue.message}`).join('; '))
  return parsed.data
}

const POSTGRES_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-]\d{2}(?::\d{2}){0,2})$/

/** True for a real calendar date and time in Postgres' timestamptz text form (`2026-01-31 12:00:00.123456+00`). */
function isTimestampText(text: string): boolean {
  const match = POSTGRES_TIMESTAMPTZ.exec(text)
  if (!match) return false
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
}

/** Cursor parts, each accepting exactly what Postgres will take for the column it is compared with. */
export const CursorPart = {
  /** A uuid column. */
  uuid: z.guid(),
  /** A timestamptz column as `timestampText` renders it. */
  timestamp: z.string().refine(isTimestampText, 'not a timestamp'),
  /** A 32-bit integer column (as text, the way the sort key is read back). */
  int: z.string().regex(/^-?\d{1,10}$/, 'not an integer').refine((text) => Math.abs(Number(text)) <= 2_147_483_647, 'out of range'),
  /** A float8 expression (as text). */
  float: z.string().regex(/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, 'not a number').refine((text) => Number.isFinite(Number(text)), 'out of range'),
  /** A text column: anything Postgres can store (no NUL). */
  text: z.string().max(512).refine((text) => !text.includes('\u0000'), 'not text'),
} as const

const CreatedAtIdCursor = z.tuple([CursorPart.timestamp, CursorPart.uuid])

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
  const [at, lastId] = decodeCursor(cursor, CreatedAtIdCursor)
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
