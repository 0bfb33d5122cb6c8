// Catalog data for bench:catalog, generated inside Postgres (insert ... select generate_series) so 100k products take
// seconds: several tenants, a category tree, two variants per product, list and number attributes, spread timestamps.
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from '../../workers/db/client'

const FAMILIES = ['Diver', 'Pilot', 'Field', 'Dress', 'Chrono', 'Racing', 'Skeleton', 'Solar', 'Smart', 'Vintage']
const MATERIALS = ['steel', 'gold', 'titanium', 'ceramic', 'bronze']
const WORDS = ['automatic', 'quartz', 'sapphire', 'luminous', 'classic', 'sport', 'travel', 'limited', 'heritage', 'compact', 'bold', 'slim', 'ocean']

const textArray = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]`)

/** One generated tenant: its id and the ids of its categories. */
export interface BenchTenant {
  id: string
  categoryIds: string[]
}

/** Creates a tenant with `categories` categories and `count` products of two variants each; returns its ids. */
export async function generateTenant(db: Database, label: string, count: number, categories = 20): Promise<BenchTenant> {
  const [tenant] = await queryRows<{ id: string }>(db, sql`insert into tenants (name, slug) values (${label}, ${label}) returning id`)
  if (!tenant) throw new Error('tenant not created')
  const categoryRows = await queryRows<{ id: string }>(
    db,
    sql`insert into categories (tenant_id, name, slug, position)
        select ${tenant.id}, 'Category ' || n, 'category-' || n, n from generate_series(1, ${categories}) n returning id`,
  )
  await db.execute(sql`
    insert into attribute_definitions (tenant_id, key, label, type, options) values
      (${tenant.id}, 'material', 'Material', 'list', ${textArray(MATERIALS)}),
      (${tenant.id}, 'water_m', 'Water (m)', 'number', '{}')`)
  await db.execute(sql`
    insert into products (tenant_id, name, slug, description, status, category_id, brand, tags, attributes, created_at, updated_at)
    select ${tenant.id},
      (${textArray(FAMILIES)})[1 + n % ${FAMILIES.length}] || ' ' || (${textArray(WORDS)})[1 + (n / 7) % ${WORDS.length}] || ' ' || n,
      ${label} || '-product-' || n,
      'A ' || (${textArray(WORDS)})[1 + n % ${WORDS.length}] || ' watch with a ' || (${textArray(WORDS)})[1 + (n / 3) % ${WORDS.length}] || ' dial, model ' || n,
      case when n % 10 < 7 then 'active' when n % 10 < 9 then 'draft' else 'archived' end,
      (${sql.raw(`array[${categoryRows.map((c) => `'${c.id}'::uuid`).join(',')}]`)})[1 + n % ${categoryRows.length}],
      'Brand ' || (n % 50),
      array['tag-' || (n % 30)],
      jsonb_build_object('material', (${textArray(MATERIALS)})[1 + n % ${MATERIALS.length}], 'water_m', (n % 10) * 50),
      now() - n * interval '1 second',
      now() - n * interval '1 second'
    from generate_series(1, ${count}) n`)
  await db.execute(sql`
    insert into variants (tenant_id, product_id, sku, name, options, price, currency, position)
    select p.tenant_id, p.id, upper(${label}) || '-' || substr(p.slug, length(${label}) + 10) || '-' || v, 'Size ' || (38 + v * 2),
      jsonb_build_object('size', (38 + v * 2)::text), 1000 + (hashtext(p.slug) & 65535) + v * 500, 'MXN', v
    from products p cross join generate_series(1, 2) v where p.tenant_id = ${tenant.id}`)
  return { id: tenant.id, categoryIds: categoryRows.map((c) => c.id) }
}
