// An uploaded import file held as text plus a small index: where each data row starts and which rows make each product
// group. Rows are materialised one chunk at a time, so a 100k-row file never sits in memory as 100k parsed rows.
import type { ImportRowError } from '../../db/schema/imports'
import { ApiError } from '../../lib/errors'
import type { ValidationIssue } from '../../lib/openapi'
import { CsvSyntaxError, csvStart, parseRecord } from './csv'
import { headerIssues, MAX_IMPORT_ROWS, type CsvRow, type RowGroup } from './columns'

/** A group as row indexes into the file, with the errors found while scanning. */
interface GroupIndex {
  rows: number[]
  errors: ImportRowError[]
}

/** A scanned file: the header, where each data row starts, its row number, and the product groups in file order. */
export interface ImportFile {
  text: string
  header: string[]
  rowStarts: number[]
  rowNumbers: number[]
  groups: GroupIndex[]
}

function invalid(message: string, details: ValidationIssue[]): ApiError {
  return new ApiError('invalid_request', message, { details })
}

/** Decodes an upload as UTF-8; 400 when it is not. */
export function decodeUtf8(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw invalid('The file is not UTF-8 text', [{ in: 'body', path: '', message: 'not valid UTF-8', code: 'custom' }])
  }
}

/**
 * Checks the syntax and header of a CSV file and indexes its rows into product groups (by product_slug, else
 * product_name), flagging missing and repeated SKUs and rows without a product key. 400 on a syntax error, a bad header,
 * no data rows or more than MAX_IMPORT_ROWS rows.
 */
export function scanImportFile(text: string): ImportFile {
  const file: ImportFile = { text, header: [], rowStarts: [], rowNumbers: [], groups: [] }
  const groupsByKey = new Map<string, GroupIndex>()
  const firstRowOfSku = new Map<string, number>()
  let index = csvStart(text)
  let recordNumber = 0
  let column = { sku: -1, slug: -1, name: -1 }
  try {
    while (index < text.length) {
      recordNumber++
      const start = index
      const { cells, next } = parseRecord(text, index, recordNumber)
      index = next
      if (recordNumber === 1) {
        file.header = cells.map((c) => c.trim())
        const issues = headerIssues(file.header)
        if (issues.length > 0) throw invalid('The header row is invalid', issues)
        column = { sku: file.header.indexOf('sku'), slug: file.header.indexOf('product_slug'), name: file.header.indexOf('product_name') }
        continue
      }
      if (cells.length === 1 && cells[0] === '') continue
      if (file.rowStarts.length === MAX_IMPORT_ROWS) {
        throw invalid(`A file holds at most ${MAX_IMPORT_ROWS} rows`, [{ in: 'body', path: '', message: `more than ${MAX_IMPORT_ROWS} data rows`, code: 'too_big' }])
      }
      const cell = (i: number) => (i < 0 ? '' : (cells[i] ?? '').trim())
      const row = recordNumber
      const slug = cell(column.slug)
      const name = cell(column.name)
      const key = slug ? `slug:${slug}` : name ? `name:${name}` : `row:${row}`
      let group = groupsByKey.get(key)
      if (!group) {
        group = { rows: [], errors: [] }
        groupsByKey.set(key, group)
        file.groups.push(group)
      }
      group.rows.push(file.rowStarts.length)
      file.rowStarts.push(start)
      file.rowNumbers.push(row)
      if (!slug && !name) group.errors.push({ row, field: 'product_name', message: 'a product_slug or product_name is required' })
      const sku = cell(column.sku).toLowerCase()
      const earlier = firstRowOfSku.get(sku)
      if (!sku) group.errors.push({ row, field: 'sku', message: 'a sku is required' })
      else if (earlier !== undefined) group.errors.push({ row, field: 'sku', message: `the sku repeats row ${earlier}` })
      else firstRowOfSku.set(sku, row)
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw invalid('The file is not valid CSV', [{ in: 'body', path: `row ${error.row}`, message: error.message, code: 'custom' }])
    throw error
  }
  if (file.rowStarts.length === 0) throw invalid('The file has no data rows', [{ in: 'body', path: '', message: 'no rows after the header', code: 'too_small' }])
  return file
}

/** Splits the file's groups into consecutive chunks of at least `rowsPerChunk` rows (a group is never split). */
export function chunkBounds(file: ImportFile, rowsPerChunk: number): { from: number; to: number }[] {
  const chunks: { from: number; to: number }[] = []
  let from = 0
  let rows = 0
  file.groups.forEach((group, i) => {
    rows += group.rows.length
    if (rows >= rowsPerChunk || i === file.groups.length - 1) {
      chunks.push({ from, to: i + 1 })
      from = i + 1
      rows = 0
    }
  })
  return chunks
}

/** Parses the rows of groups `from` to `to` (exclusive) into cell maps keyed by column. */
export function materializeGroups(file: ImportFile, bounds: { from: number; to: number }): RowGroup[] {
  return file.groups.slice(bounds.from, bounds.to).map((group) => ({
    errors: group.errors,
    rows: group.rows.map((i): CsvRow => {
      const row = file.rowNumbers[i] ?? 0
      const { cells } = parseRecord(file.text, file.rowStarts[i] ?? 0, row)
      return { row, cells: new Map(file.header.map((column, c) => [column, (cells[c] ?? '').trim()])) }
    }),
  }))
}

/** Rows in groups `from` to `to`. */
export function rowsIn(file: ImportFile, bounds: { from: number; to: number }): number {
  return file.groups.slice(bounds.from, bounds.to).reduce((n, g) => n + g.rows.length, 0)
}
