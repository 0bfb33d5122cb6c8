// Tenant export and restore: a populated tenant round-trips through an archive into a fresh tenant and every table,
// R2 object and Inventory shard compares equal (ids remapped); bad input is refused and writes nothing.
import { env, SELF } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { remapValue, targetIds, uuidsIn } from '../../workers/archive/format'
import { inventoryStub } from '../../durable-objects/inventory/shards'
import { nonEmptyTables } from '../../workers/archive/restore'
import { queryRows } from '../../workers/db/client'
import { ARCHIVED_TABLES, EXCLUDED_TABLES, HISTORY_TABLES, SPECIAL_TABLES } from '../../workers/archive/tables'
import { drainArchive, populatedShop, shardState, tenantRows, type ArchiveView } from './archive-helpers'
import { addMember, api, BASE, signUp, type Account } from './helpers'
import { withDb } from './order-helpers'

const start = (owner: Account) => api<ArchiveView>('/v1/tenant/exports', { token: owner.accessToken, method: 'POST' })
const download = (owner: Account, id: string) => SELF.fetch(`${BASE}/v1/tenant/exports/${id}/download`, { headers: { authorization: `Bearer ${owner.accessToken}` } })
async function restore(owner: Account, body: string): Promise<{ res: Response; body: ArchiveView & { error: { code: string; details: unknown } } }> {
  const res = await SELF.fetch(`${BASE}/v1/tenant/imports`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/x-ndjson' }, body })
  return { res, body: (await res.json()) as ArchiveView & { error: { code: string; details: unknown } } }
}

/** Columns that differ by design after a restore: secrets replaced, endpoints restored disabled, serial ids renumbered. */
const CHANGED: Record<string, string[]> = {
  webhook_endpoints: ['secret_sealed', 'previous_secret_sealed', 'previous_secret_expires_at', 'enabled', 'disabled_reason', 'disabled_at'],
  ai_providers: ['api_key_ciphertext', 'api_key_last4'],
  order_timeline: ['id'],
}
const without = (row: Record<string, unknown>, columns: string[] = []) => Object.fromEntries(Object.entries(row).filter(([c]) => !columns.includes(c)))
const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort()

async function exported(owner: Account): Promise<string> {
  const started = await start(owner)
  expect(started.res.status, JSON.stringify(started.body)).toBe(202)
  const done = await drainArchive(owner, 'exports', started.body.id)
  expect(done, JSON.stringify(done)).toMatchObject({ state: 'completed', downloadUrl: `/v1/tenant/exports/${started.body.id}/download` })
  const res = await download(owner, started.body.id)
  expect(res.status).toBe(200)
  return res.text()
}

describe('tenant archives', () => {
  it('classifies every table that holds tenant data as archived or deliberately left out', async () => {
    const tables = await withDb((db) => queryRows<{ table_name: string }>(db, sql`select table_name from information_schema.columns where column_name = 'tenant_id' and table_schema = current_schema()`))
    const known = new Set([...ARCHIVED_TABLES.map((t) => t.name), ...Object.keys(EXCLUDED_TABLES), ...Object.keys(SPECIAL_TABLES)])
    expect(tables.map((t) => t.table_name).filter((t) => !known.has(t))).toEqual([])
  })

  it('round-trips a populated tenant into a fresh one: every table, image object and stock shard compares equal', async () => {
    const { shop, skus, imageIds } = await populatedShop()
    const source = shop.owner.tenant.id
    const archive = await exported(shop.owner)
    const manifest = JSON.parse(archive.split('\n')[0] ?? '{}') as { counts: Record<string, number>; tenantId: string }
    expect(manifest.tenantId).toBe(source)
    expect(manifest.counts).toMatchObject({ tenant: 1, members: 2, products: 2, product_images: 2, orders: 1, order_refunds: 1, order_fulfillments: 1, chat_messages: expect.any(Number), webhook_endpoints: 1 })
    expect(archive).not.toContain('whsec_')
    expect(archive).not.toContain('pbkdf2')

    const target = await signUp()
    const accepted = await restore(target, archive)
    expect(accepted.res.status, JSON.stringify(accepted.body)).toBe(202)
    const done = await drainArchive(target, 'imports', accepted.body.id)
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'completed', error: null })
    expect(done.progress).toEqual(manifest.counts)

    const members = (await withDb((db) => queryRows<{ user_id: string }>(db, sql`select user_id from memberships where tenant_id = ${source}`))).map((r) => r.user_id)
    const users = new Map(members.map((id) => [id, id]))
    for (const spec of ARCHIVED_TABLES) {
      const before = await tenantRows(spec.name, source)
      const after = await tenantRows(spec.name, target.tenant.id)
      const map = await targetIds(uuidsIn(before), { sourceTenantId: source, tenantId: target.tenant.id, users })
      const expected = before.map((row) => without(remapValue(row, map), CHANGED[spec.name]))
      const restored = after.map((row) => without(row, CHANGED[spec.name]))
      if (HISTORY_TABLES.includes(spec.name)) expect(sorted(restored), spec.name).toEqual(expect.arrayContaining(sorted(expected)))
      else expect(sorted(restored), spec.name).toEqual(sorted(expected))
      expect(after.length, spec.name).toBeGreaterThanOrEqual(manifest.counts[spec.name] ?? 0)
    }
    const endpoints = await tenantRows('webhook_endpoints', target.tenant.id)
    expect(endpoints).toEqual([expect.objectContaining({ enabled: false, disabled_reason: 'restored', secret_sealed: expect.any(String) })])
    expect((await tenantRows('memberships', target.tenant.id)).length).toBe(3)

    const map = await targetIds([source, ...imageIds], { sourceTenantId: source, tenantId: target.tenant.id, users })
    for (const id of imageIds) {
      for (const file of ['original', 'thumb-300.webp']) {
        const from = await env.MEDIA.get(`t/${source}/images/${id}/${file}`)
        const to = await env.MEDIA.get(`t/${target.tenant.id}/images/${map.get(id)}/${file}`)
        expect(to === null, `${id}/${file}`).toBe(from === null)
        if (from && to) expect(new Uint8Array(await to.arrayBuffer())).toEqual(new Uint8Array(await from.arrayBuffer()))
      }
    }

    const [was, now] = [await shardState(source), await shardState(target.tenant.id)]
    const stockMap = await targetIds(uuidsIn(was), { sourceTenantId: source, tenantId: target.tenant.id, users })
    expect(now.levels).toEqual(was.levels)
    expect(now.ledger).toEqual(remapValue(was.ledger, stockMap))
    expect(was.levels.length).toBeGreaterThanOrEqual(skus.length)
    const readModel = async (tenantId: string) => {
      await inventoryStub(env, tenantId, 0).flush()
      return (await tenantRows('inventory_levels', tenantId)).map((r) => [r.sku, r.location, r.on_hand, r.available, r.version].join('|')).sort()
    }
    expect(await readModel(target.tenant.id)).toEqual(await readModel(source))
  }, 120_000)

  it('refuses non-owners (403), a non-empty tenant (409), a malformed archive (400, nothing written) and an unfinished download (409)', async () => {
    const { shop, admin } = await populatedShop()
    expect((await start(admin)).res.status).toBe(403)
    expect((await restore(admin, '{}')).res.status).toBe(403)
    const started = await start(shop.owner)
    expect(started.res.status).toBe(202)
    const early = await download(shop.owner, started.body.id)
    expect([early.status, ((await early.json()) as { error: { code: string } }).error.code]).toEqual([409, 'archive_not_ready'])
    await drainArchive(shop.owner, 'exports', started.body.id)
    const archive = await (await download(shop.owner, started.body.id)).text()

    const busy = await restore(shop.owner, archive)
    expect([busy.res.status, busy.body.error.code]).toEqual([409, 'tenant_not_empty'])

    const target = await signUp()
    const lines = archive.trimEnd().split('\n')
    const manifest = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>
    const malformed = [
      'not json at all',
      lines.slice(1).join('\n'),
      [JSON.stringify({ ...manifest, version: 2 }), ...lines.slice(1)].join('\n'),
      lines.slice(0, -1).join('\n'),
      [...lines, JSON.stringify({ k: 'row', table: 'api_keys', row: { tenant_id: manifest.tenantId } })].join('\n'),
      [...lines.slice(0, 3), '{"k":"row","table":"products","row":{"tenant_id":"00000000-0000-4000-8000-000000000000"}}', ...lines.slice(3)].join('\n'),
    ]
    for (const body of malformed) {
      const refused = await restore(target, body)
      expect([refused.res.status, refused.body.error.code], body.slice(0, 80)).toEqual([400, 'invalid_archive'])
    }
    expect(await withDb((db) => nonEmptyTables(db, target.tenant.id))).toEqual([])
    expect((await env.MEDIA.list({ prefix: `archives/${target.tenant.id}/` })).objects).toEqual([])
    expect(await tenantRows('tenant_archives', target.tenant.id)).toEqual([])
  }, 120_000)

  it("undoes a restore that keeps failing and leaves the target's own notification preferences as they were", async () => {
    const { shop } = await populatedShop()
    const started = await start(shop.owner)
    await drainArchive(shop.owner, 'exports', started.body.id)
    const lines = (await (await download(shop.owner, started.body.id)).text()).trimEnd().split('\n')
    // A product row whose timestamp Postgres cannot read: the archive parses, every attempt at its part fails.
    const index = lines.findIndex((line) => line.includes('"table":"products"'))
    const row = JSON.parse(lines[index] ?? '{}') as { row: Record<string, unknown> }
    lines[index] = JSON.stringify({ ...row, row: { ...row.row, created_at: 'not a time' } })

    const target = await signUp()
    const saved = await api('/v1/notifications/preferences', { token: target.accessToken, method: 'PUT', body: { preferences: [{ type: 'stock.low', inApp: true, email: false }] } })
    expect(saved.res.status).toBe(200)
    const before = await tenantRows('notification_preferences', target.tenant.id)
    expect(before).toHaveLength(1)

    const accepted = await restore(target, lines.join('\n'))
    expect(accepted.res.status).toBe(202)
    expect((await drainArchive(target, 'imports', accepted.body.id)).state).toBe('failed')
    expect(await withDb((db) => nonEmptyTables(db, target.tenant.id))).toEqual([])
    expect(await tenantRows('notification_preferences', target.tenant.id)).toEqual(before)
  }, 120_000)

  it('refuses an owner whose role was taken away or who was removed, with the token they still hold', async () => {
    const owner = await signUp()
    const demoted = await addMember(owner, 'owner')
    const removed = await addMember(owner, 'owner')
    const started = await start(demoted)
    expect(started.res.status).toBe(202)
    expect((await api(`/v1/members/${demoted.user.id}`, { token: owner.accessToken, method: 'PATCH', body: { role: 'admin' } })).res.status).toBe(200)
    expect((await api(`/v1/members/${removed.user.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    for (const [account, status] of [[demoted, 403], [removed, 401]] as const) {
      expect((await start(account)).res.status).toBe(status)
      expect((await api(`/v1/tenant/exports/${started.body.id}`, { token: account.accessToken })).res.status).toBe(status)
      expect((await download(account, started.body.id)).status).toBe(status)
      expect((await restore(account, '')).res.status).toBe(status)
    }
  }, 60_000)

  it("keeps tenants apart: another tenant's owner gets 404 on every export and import id", async () => {
    const a = await signUp()
    const b = await signUp()
    const exportB = await start(b)
    await drainArchive(b, 'exports', exportB.body.id)
    const archive = await (await download(b, exportB.body.id)).text()
    const target = await signUp()
    const importT = await restore(target, archive)
    expect(importT.res.status, JSON.stringify(importT.body)).toBe(202)
    expect((await api(`/v1/tenant/exports/${exportB.body.id}`, { token: a.accessToken })).res.status).toBe(404)
    expect((await download(a, exportB.body.id)).status).toBe(404)
    expect((await api(`/v1/tenant/imports/${importT.body.id}`, { token: a.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/tenant/imports/${exportB.body.id}`, { token: b.accessToken })).res.status).toBe(404)
    expect((await api(`/v1/tenant/exports/${importT.body.id}`, { token: target.accessToken })).res.status).toBe(404)
    await drainArchive(target, 'imports', importT.body.id)
    const again = await restore(target, archive)
    expect([again.res.status, again.body.error.code]).toEqual([409, 'tenant_not_empty'])
    const started = await start(a)
    expect((await api(`/v1/tenant/exports/${started.body.id}`, { token: b.accessToken })).res.status).toBe(404)
  }, 60_000)
})
