// Centroids follow the catalog: deleting the last products of a category removes its centroid, so detection never
// points at an empty category.
import { env } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { api } from './helpers'
import { buildSearchCatalog } from './search-fixtures'

async function centroidCount(tenantId: string, categoryId: string): Promise<number> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    const result = await client.db.execute<{ n: number }>(sql`select count(*)::int as n from category_centroids where tenant_id = ${tenantId} and category_id = ${categoryId}`)
    return result.rows[0]?.n ?? -1
  } finally {
    await client.close()
  }
}

describe('centroids after deletes', () => {
  it('drops the centroid of a category whose products are deleted', { timeout: 60_000 }, async () => {
    const catalog = await buildSearchCatalog()
    const tenantId = catalog.owner.tenant.id
    expect(await centroidCount(tenantId, catalog.categories.green)).toBe(1)
    for (const product of catalog.products.green) {
      expect((await api(`/v1/products/${product.id}`, { token: catalog.owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    }
    const deadline = Date.now() + 5_000
    while ((await centroidCount(tenantId, catalog.categories.green)) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await centroidCount(tenantId, catalog.categories.green)).toBe(0)
    expect(await centroidCount(tenantId, catalog.categories.blue)).toBe(1)
  })
})
