// The category tree: descendants for filters ("this category and everything under it") and cycle checks for moves.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../db/client'

/** Ids of `categoryId` and every category below it, within the tenant. Empty when the category is not the tenant's. */
export async function categoryWithDescendants(db: Database, tenantId: string, categoryId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    with recursive tree as (
      select id from categories where id = ${categoryId} and tenant_id = ${tenantId}
      union all
      select c.id from categories c join tree on c.parent_id = tree.id where c.tenant_id = ${tenantId}
    )
    select id from tree`,
  )
  return rows.map((r) => r.id)
}
