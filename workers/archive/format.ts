// The tenant archive format (version 1): JSON lines, a manifest first, then the tenant, its members, table rows, R2
// objects and Inventory stock, in restore order. Also the id remapping a restore applies to every line.
import { z } from 'zod'
import { archivedLedgerEntry, archivedLevel } from '../../durable-objects/inventory/archive'
import { MEMBER_ROLES } from '../db/schema/tenants'
import { ARCHIVED_TABLES } from './tables'

export const ARCHIVE_FORMAT = 'vitrina-tenant-archive'
export const ARCHIVE_VERSION = 1

const tableNames = ARCHIVED_TABLES.map((t) => t.name) as [string, ...string[]]

/** The first line: what the archive holds and how many lines of each section follow. */
export const manifestLine = z.object({
  k: z.literal('manifest'),
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  tenantId: z.string().uuid(),
  exportedAt: z.string(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
})
export type ManifestLine = z.infer<typeof manifestLine>

/** Every other line. */
export const archiveLine = z.discriminatedUnion('k', [
  z.object({ k: z.literal('tenant'), name: z.string(), settings: z.record(z.string(), z.unknown()) }),
  z.object({
    k: z.literal('member'),
    userId: z.string().uuid(),
    email: z.string().email(),
    name: z.string().nullable(),
    locale: z.string().nullable(),
    role: z.enum(MEMBER_ROLES),
  }),
  z.object({ k: z.literal('row'), table: z.enum(tableNames), row: z.record(z.string(), z.unknown()) }),
  z.object({ k: z.literal('object'), key: z.string().min(1).max(1024), contentType: z.string().max(200), data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) }),
  z.discriminatedUnion('table', [
    z.object({ k: z.literal('stock'), table: z.literal('levels'), row: archivedLevel }),
    z.object({ k: z.literal('stock'), table: z.literal('ledger'), row: archivedLedgerEntry }),
  ]),
])
export type ArchiveLine = z.infer<typeof archiveLine>

/** The section a line counts toward in the manifest and in progress. */
export function sectionOf(line: ArchiveLine): string {
  switch (line.k) {
    case 'tenant':
      return 'tenant'
    case 'member':
      return 'members'
    case 'row':
      return line.table
    case 'object':
      return 'objects'
    case 'stock':
      return `inventory.${line.table}`
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** Every UUID mentioned anywhere in `value` (strings, nested arrays and objects). */
export function uuidsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const match of value.matchAll(UUID)) found.add(match[0].toLowerCase())
  else if (Array.isArray(value)) for (const item of value) uuidsIn(item, found)
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) uuidsIn(item, found)
  return found
}

/** `value` with every UUID replaced through `map` (UUIDs the map lacks are left alone). */
export function remapValue<T>(value: T, map: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return value.replace(UUID, (id) => map.get(id.toLowerCase()) ?? id) as T
  if (Array.isArray(value)) return value.map((item: unknown) => remapValue(item, map)) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, remapValue(item, map)])) as T
  return value
}

/**
 * The id a source UUID gets in the target tenant: the source tenant becomes the target, members' accounts map to the
 * target's accounts, and every other UUID to a name-based UUID (version 8) of SHA-256(target tenant, source id), so a
 * reference and its row agree without any table of ids, and a retried step maps the same way.
 */
export async function targetIds(ids: Iterable<string>, target: { sourceTenantId: string; tenantId: string; users: ReadonlyMap<string, string> }): Promise<Map<string, string>> {
  const map = new Map<string, string>()
  for (const id of ids) {
    if (id === target.sourceTenantId) map.set(id, target.tenantId)
    else map.set(id, target.users.get(id) ?? (await derivedUuid(target.tenantId, id)))
  }
  return map
}

async function derivedUuid(tenantId: string, id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${tenantId}:${id}`)))
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x80
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80
  const hex = [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** Base64 of bytes, in chunks (String.fromCharCode takes a bounded argument list). */
export function toBase64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

/** Bytes of a base64 string. */
export function fromBase64(data: string): Uint8Array {
  const text = atob(data)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
}
