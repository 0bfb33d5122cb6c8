// Opaque cursors for every paginated listing: the position of the last row served, encoded so callers cannot depend on its shape.
import { OperationFailure } from './results'

type CursorValue = string | number

/** Encodes the sort key of the last row of a page. */
export function encodeCursor(values: CursorValue[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values))
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')
}

/** Decodes a cursor made by `encodeCursor` with the given value kinds (numbers are safe integers); throws `invalid_cursor` for anything else. */
export function decodeCursor<K extends ('string' | 'number')[]>(cursor: string, kinds: K): { [I in keyof K]: K[I] extends 'string' ? string : number } {
  const invalid = () => new OperationFailure('invalid_cursor', 'The cursor is not valid for this list', { cursor })
  let values: unknown
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    values = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(values) || values.length !== kinds.length || values.some((value, i) => typeof value !== kinds[i] || (typeof value === 'number' && !Number.isSafeInteger(value)))) throw invalid()
  return values as { [I in keyof K]: K[I] extends 'string' ? string : number }
}

/** Cuts one extra fetched row off `rows` and turns the last served row into the next cursor. */
export function toPage<R, T>(rows: R[], limit: number, view: (row: R) => T, cursorOf: (row: R) => CursorValue[]): { data: T[]; nextCursor: string | null } {
  const served = rows.slice(0, limit)
  const last = served.at(-1)
  return { data: served.map(view), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null }
}
