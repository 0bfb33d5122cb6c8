// CLIP Comparador keys move in by their SHA-256 hash: registered by an owner, then accepted unchanged wherever their
// scopes allow (the seed's Python client included), revocable like any key, and confined to their own tenant.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../workers/lib/crypto'
import { levelOf, openShop, stockedVariant } from './commerce-helpers'
import { addMember, api, BASE, createKey, type Account } from './helpers'

type ErrorBody = { error: { code: string; message: string; details?: { path: string }[] } }
type ImportedKey = { id: string; prefix: string; type: string; scopes: string[]; key?: string }

/** A key as CLIP Comparador issued it, and the hash it stored. */
async function clipKey(): Promise<{ key: string; keyHash: string; prefix: string }> {
  const key = `clip_${crypto.randomUUID().replaceAll('-', '')}`
  return { key, keyHash: await sha256Hex(key), prefix: key.slice(0, 9) }
}

const importKey = (caller: Account, body: Record<string, unknown>) => api<ImportedKey & ErrorBody>('/v1/api-keys/import', { token: caller.accessToken, body })

/** Reduces stock exactly as the seed's README example does with `requests.post(..., headers=headers, json=...)`. */
function reduceLikeThePythonClient(key: string, sku: string) {
  return SELF.fetch(`${BASE}/api/external/inventory/reduce-stock`, {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sku, quantity: 1, reason: 'Venta POS' }),
  })
}

describe('importing CLIP Comparador keys', () => {
  it('accepts an imported clip_ key on the seed external API as its Python example calls it, and never shows the key', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 4 } })
    const legacy = await clipKey()

    const before = await reduceLikeThePythonClient(legacy.key, sku)
    expect(before.status).toBe(401)
    expect(((await before.json()) as ErrorBody).error).toMatchObject({ code: 'unauthorized', message: 'The API key is unknown, revoked or expired' })

    const imported = await importKey(shop.owner, { name: 'POS de la tienda', keyHash: legacy.keyHash.toUpperCase(), prefix: legacy.prefix, scopes: ['read', 'write'] })
    expect(imported.res.status).toBe(201)
    expect(imported.body).toMatchObject({ prefix: legacy.prefix, type: 'secret', scopes: ['read', 'write'] })
    expect(imported.body.key).toBeUndefined()

    const reduced = await reduceLikeThePythonClient(legacy.key, sku)
    expect(reduced.status).toBe(200)
    expect(await reduced.json()).toEqual({ success: true, sku, quantity_reduced: 1, previous_stock: 4, new_stock: 3, reason: 'Venta POS' })
    const checked = await api(`/api/external/inventory/check-stock?sku=${encodeURIComponent(sku)}`, { apiKey: legacy.key })
    expect(checked.body).toEqual({ success: true, sku, stock: 3, in_stock: true })

    const listed = await api<{ data: ImportedKey[] }>('/v1/api-keys', { token: shop.owner.accessToken })
    expect(listed.body.data.find((k) => k.id === imported.body.id)).toMatchObject({ prefix: legacy.prefix })
  })

  it('holds an imported key to its scopes and revokes it like any other', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { stock: { main: 2 } })
    const legacy = await clipKey()
    const imported = await importKey(shop.owner, { name: 'catálogo', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read'] })
    expect(imported.res.status).toBe(201)
    const refused = await reduceLikeThePythonClient(legacy.key, sku)
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as ErrorBody).error.code).toBe('forbidden')
    expect((await api(`/api/external/inventory/check-stock?sku=${encodeURIComponent(sku)}`, { apiKey: legacy.key })).res.status).toBe(200)

    expect((await api(`/v1/api-keys/${imported.body.id}`, { token: shop.owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    const revoked = await api<ErrorBody>(`/api/external/inventory/check-stock?sku=${encodeURIComponent(sku)}`, { apiKey: legacy.key })
    expect({ status: revoked.res.status, message: revoked.body.error.message }).toEqual({ status: 401, message: 'The API key is unknown, revoked or expired' })
    expect(await levelOf(shop, sku)).toMatchObject({ onHand: 2 })
  })

  it('lets owners only import, once per hash, and names the field a bad hash or prefix broke', async () => {
    const shop = await openShop()
    const legacy = await clipKey()
    const admin = await addMember(shop.owner, 'admin')
    const byAdmin = await importKey(admin, { name: 'x', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read'] })
    expect({ status: byAdmin.res.status, code: byAdmin.body.error.code }).toEqual({ status: 403, code: 'forbidden' })
    const adminKey = await createKey(shop.owner, ['admin'])
    const byKey = await api<ErrorBody>('/v1/api-keys/import', { apiKey: adminKey.key, body: { name: 'x', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read'] } })
    expect(byKey.res.status).toBe(403)

    for (const [field, bad] of [
      ['keyHash', { keyHash: 'abc' }],
      ['keyHash', { keyHash: 'z'.repeat(64) }],
      ['prefix', { prefix: 'vk_live_abc' }],
      ['scopes', { scopes: ['storefront'] }],
    ] as const) {
      const answer = await importKey(shop.owner, { name: 'x', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read'], ...bad })
      expect(answer.res.status, JSON.stringify(bad)).toBe(400)
      expect(answer.body.error.details?.map((d) => d.path.split('.')[0])).toContain(field)
    }

    expect((await importKey(shop.owner, { name: 'first', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read'] })).res.status).toBe(201)
    const again = await importKey(shop.owner, { name: 'second', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read', 'write'] })
    expect({ status: again.res.status, code: again.body.error.code }).toEqual({ status: 409, code: 'conflict' })
    const other = await openShop()
    const elsewhere = await importKey(other.owner, { name: 'stolen', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read', 'write'] })
    expect(elsewhere.res.status).toBe(409)
  })

  it("keeps an imported key to its own tenant: another tenant's stock is unknown to it", async () => {
    const mine = await openShop()
    const theirs = await openShop()
    const { sku: theirSku } = await stockedVariant(theirs, { stock: { main: 5 } })
    const legacy = await clipKey()
    expect((await importKey(mine.owner, { name: 'pos', keyHash: legacy.keyHash, prefix: legacy.prefix, scopes: ['read', 'write'] })).res.status).toBe(201)
    const reduced = await reduceLikeThePythonClient(legacy.key, theirSku)
    expect({ status: reduced.status, code: ((await reduced.json()) as ErrorBody).error.code }).toEqual({ status: 400, code: 'unknown_sku' })
    expect((await api(`/api/external/inventory/check-stock?sku=${encodeURIComponent(theirSku)}`, { apiKey: legacy.key })).res.status).toBe(404)
    expect(await levelOf(theirs, theirSku)).toMatchObject({ onHand: 5 })
  })
})
