// Streams a tenant's whole catalog as the rows the importer reads (one per variant), as CSV or as a JSON array of
// objects keyed by the same columns. Products are read EXPORT_PAGE_SIZE at a time by keyset, so memory stays flat.
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { queryRows, type DatabaseClient } from '../db/client'
import { products, variants, type AttributeValues } from '../db/schema/catalog'
import { catalogDefinitions } from './products'
import { csvLine } from './import/csv'
import { FIXED_COLUMNS, LIST_SEPARATOR, OPTION_PREFIX, PRODUCT_ATTRIBUTE_PREFIX, VARIANT_ATTRIBUTE_PREFIX } from './import/columns'

/** Products read per query. */
export const EXPORT_PAGE_SIZE = 500

export type ExportFormat = 'csv' | 'json'

type ProductRow = Pick<typeof products.$inferSelect, 'id' | 'slug' | 'name' | 'description' | 'status' | 'brand' | 'tags' | 'seoTitle' | 'seoDescription' | 'attributes'> & {
  categorySlug: string | null
  createdText: string
}
type VariantRow = typeof variants.$inferSelect

function attributeCell(value: AttributeValues[string] | undefined): string {
  if (value === undefined || value === null) return ''
  return Array.isArray(value) ? value.join(LIST_SEPARATOR) : String(value)
}

const numberCell = (value: number | null) => (value === null ? '' : String(value))

/** The columns of a tenant's export: the fixed ones, then options in use, then defined attributes. */
async function exportColumns(client: DatabaseClient, tenantId: string): Promise<string[]> {
  const [definitions, optionNames] = await Promise.all([
    catalogDefinitions(client.db, tenantId),
    queryRows<{ name: string }>(client.db, sql`select distinct jsonb_object_keys(options) as name from variants where tenant_id = ${tenantId} order by 1`),
  ])
  return [
    ...FIXED_COLUMNS,
    ...optionNames.map((o) => `${OPTION_PREFIX}${o.name}`),
    ...definitions.product.map((d) => `${PRODUCT_ATTRIBUTE_PREFIX}${d.key}`),
    ...definitions.variant.map((d) => `${VARIANT_ATTRIBUTE_PREFIX}${d.key}`),
  ]
}

function cellsOf(columns: string[], p: ProductRow, v: VariantRow | undefined): string[] {
  const fixed: Record<(typeof FIXED_COLUMNS)[number], string> = {
    sku: v?.sku ?? '',
    product_slug: p.slug,
    product_name: p.name,
    name: v?.name ?? '',
    description: p.description ?? '',
    status: p.status,
    category: p.categorySlug ?? '',
    brand: p.brand ?? '',
    tags: p.tags.join(LIST_SEPARATOR),
    seo_title: p.seoTitle ?? '',
    seo_description: p.seoDescription ?? '',
    price: v ? String(v.price) : '',
    currency: v?.currency ?? '',
    compare_at_price: numberCell(v?.compareAtPrice ?? null),
    cost: numberCell(v?.cost ?? null),
    weight_grams: numberCell(v?.weightGrams ?? null),
    barcode: v?.barcode ?? '',
    active: v ? String(v.active) : '',
  }
  return columns.map((column) => {
    if (column in fixed) return fixed[column as keyof typeof fixed]
    if (column.startsWith(OPTION_PREFIX)) return v?.options[column.slice(OPTION_PREFIX.length)] ?? ''
    if (column.startsWith(VARIANT_ATTRIBUTE_PREFIX)) return attributeCell(v?.attributes[column.slice(VARIANT_ATTRIBUTE_PREFIX.length)])
    return attributeCell(p.attributes[column.slice(PRODUCT_ATTRIBUTE_PREFIX.length)])
  })
}

const PRODUCT_COLUMNS = {
  id: products.id,
  slug: products.slug,
  name: products.name,
  description: products.description,
  status: products.status,
  brand: products.brand,
  tags: products.tags,
  seoTitle: products.seoTitle,
  seoDescription: products.seoDescription,
  attributes: products.attributes,
  categorySlug: sql<string | null>`(select c.slug from categories c where c.id = ${products.categoryId})`,
  createdText: sql<string>`${products.createdAt}::text`,
}

/** One page of products after the `(created_at, id)` cursor, oldest first, with their variants. */
async function exportPage(client: DatabaseClient, tenantId: string, after: { at: string; id: string } | undefined) {
  const page: ProductRow[] = await client.db
    .select(PRODUCT_COLUMNS)
    .from(products)
    .where(and(eq(products.tenantId, tenantId), after ? sql`(${products.createdAt}, ${products.id}) > (${after.at}::timestamptz, ${after.id}::uuid)` : undefined))
    .orderBy(asc(products.createdAt), asc(products.id))
    .limit(EXPORT_PAGE_SIZE)
  const variantRows = page.length
    ? await client.db
        .select()
        .from(variants)
        .where(and(eq(variants.tenantId, tenantId), inArray(variants.productId, page.map((p) => p.id))))
        .orderBy(asc(variants.position), asc(variants.sku))
    : []
  return { page, variantRows }
}

/**
 * A byte stream of the tenant's catalog in `format`. It owns `client` and closes it when the stream ends, fails or is
 * cancelled, because the response outlives the request handler.
 */
export function exportCatalog(client: DatabaseClient, tenantId: string, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let columns: string[] | undefined
  let cursor: { at: string; id: string } | undefined
  let rowsWritten = 0
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await client.close()
  }
  const line = (cells: string[]) => {
    if (format === 'csv') return csvLine(cells)
    const object = JSON.stringify(Object.fromEntries((columns ?? []).map((c, i) => [c, cells[i] ?? ''])))
    return `${rowsWritten++ === 0 ? '\n' : ',\n'}${object}`
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!columns) {
          columns = await exportColumns(client, tenantId)
          controller.enqueue(encoder.encode(format === 'csv' ? csvLine(columns) : '['))
          return
        }
        const { page, variantRows } = await exportPage(client, tenantId, cursor)
        const last = page.at(-1)
        if (!last) {
          if (format === 'json') controller.enqueue(encoder.encode(rowsWritten ? '\n]\n' : ']\n'))
          controller.close()
          await close()
          return
        }
        cursor = { at: last.createdText, id: last.id }
        const byProduct = new Map<string, VariantRow[]>()
        for (const v of variantRows) byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), v])
        let chunk = ''
        for (const p of page) {
          const own = byProduct.get(p.id) ?? []
          for (const v of own.length ? own : [undefined]) chunk += line(cellsOf(columns, p, v))
        }
        controller.enqueue(encoder.encode(chunk))
      } catch (error) {
        controller.error(error)
        await close()
      }
    },
    async cancel() {
      await close()
    },
  })
}
