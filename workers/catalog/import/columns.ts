// The bulk file format, shared by import and export: which columns exist and how a header is checked. One row per
// variant; rows with the same product key (the product_slug, or else the product_name) make one product. The format is
// described to clients in the import route's OpenAPI description (workers/routes/products/bulk.ts).
import type { ImportRowError } from '../../db/schema/imports'
import type { ValidationIssue } from '../../lib/openapi'

/** Largest file the import accepts. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024
/** Most data rows (variants) in one file. */
export const MAX_IMPORT_ROWS = 100_000

export const OPTION_PREFIX = 'option:'
export const PRODUCT_ATTRIBUTE_PREFIX = 'attr:'
export const VARIANT_ATTRIBUTE_PREFIX = 'variant_attr:'
/** Separates the values of `tags` and of multi-option list attributes. */
export const LIST_SEPARATOR = '|'

/**
 * The fixed columns in export order. Product columns are read from the first row of each group, variant columns
 * (sku, name, price, currency, compare_at_price, cost, weight_grams, barcode, active) from every row.
 */
export const FIXED_COLUMNS = ['sku', 'product_slug', 'product_name', 'name', 'description', 'status', 'category', 'brand', 'tags', 'seo_title', 'seo_description', 'price', 'currency', 'compare_at_price', 'cost', 'weight_grams', 'barcode', 'active'] as const

const FIXED = new Set<string>(FIXED_COLUMNS)
const PREFIXED_KEY = /^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,63}$/

/** One data row: its 1-based row number in the file (the header is row 1) and its cells by column name. */
export interface CsvRow {
  row: number
  cells: Map<string, string>
}

/** Rows that write one product, in file order. */
export interface RowGroup {
  rows: CsvRow[]
  /** Problems found without the database (duplicate or missing SKUs, no product key); any fails the group. */
  errors: ImportRowError[]
}

/** Checks a header: known columns only, no repeats, `sku` and a product key present. Returns one issue per problem. */
export function headerIssues(header: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  for (const column of header) {
    const prefixed = [OPTION_PREFIX, PRODUCT_ATTRIBUTE_PREFIX, VARIANT_ATTRIBUTE_PREFIX].find((p) => column.startsWith(p))
    if (seen.has(column)) issues.push(issue(column, 'the column appears twice'))
    else if (!FIXED.has(column) && !(prefixed && PREFIXED_KEY.test(column.slice(prefixed.length)))) issues.push(issue(column, 'unknown column'))
    seen.add(column)
  }
  if (!seen.has('sku')) issues.push(issue('sku', 'the sku column is required'))
  if (!seen.has('product_slug') && !seen.has('product_name')) issues.push(issue('product_name', 'a product_slug or product_name column is required'))
  return issues
}

function issue(column: string, message: string): ValidationIssue {
  return { in: 'body', path: column, message, code: 'custom' }
}
