// RFC 4180 CSV: a parser for uploaded files (quoted fields, "" escapes, CRLF or LF, a UTF-8 byte-order mark) and the
// writer the export uses, so whatever the export writes the import reads back cell for cell, formula guard included.

/** A file that is not well-formed CSV; `row` is the 1-based record where parsing stopped. */
export class CsvSyntaxError extends Error {
  readonly row: number

  constructor(message: string, row: number) {
    super(message)
    this.name = 'CsvSyntaxError'
    this.row = row
  }
}

const QUOTE = 34
const COMMA = 44
const CR = 13
const LF = 10

/** Where a CSV text starts once a UTF-8 byte-order mark is skipped. */
export function csvStart(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0
}

/**
 * Parses the record that starts at `index` and returns its cells and where the next record starts (`text.length` at
 * the end). `recordNumber` (1-based) only labels syntax errors.
 */
export function parseRecord(text: string, index: number, recordNumber: number): { cells: string[]; next: number } {
  const cells: string[] = []
  const length = text.length
  for (;;) {
    if (text.charCodeAt(index) === QUOTE) {
      let end = index + 1
      let value = ''
      for (;;) {
        const close = text.indexOf('"', end)
        if (close === -1) throw new CsvSyntaxError('a quoted cell is never closed', recordNumber)
        value += text.slice(end, close)
        if (text.charCodeAt(close + 1) !== QUOTE) {
          index = close + 1
          break
        }
        value += '"'
        end = close + 2
      }
      const next = text.charCodeAt(index)
      if (index < length && next !== COMMA && next !== CR && next !== LF) {
        throw new CsvSyntaxError('text follows a closing quote; double a quote inside a quoted cell ("")', recordNumber)
      }
      cells.push(restoreFormulaCell(value))
    } else {
      let end = index
      while (end < length) {
        const code = text.charCodeAt(end)
        if (code === COMMA || code === CR || code === LF) break
        if (code === QUOTE) throw new CsvSyntaxError('a quote inside an unquoted cell; quote the whole cell', recordNumber)
        end++
      }
      cells.push(restoreFormulaCell(text.slice(index, end)))
      index = end
    }
    if (text.charCodeAt(index) !== COMMA) break
    index++
  }
  if (text.charCodeAt(index) === CR) index++
  if (text.charCodeAt(index) === LF) index++
  return { cells, next: index }
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

/** Cells a spreadsheet would run as a formula (OWASP's list), also behind apostrophes the guard itself may have added. */
const FORMULA_START = /^'*[=+\-@\t\r]/
/** A guarded cell as the export writes it: one apostrophe more than the value had, before a formula character. */
const GUARDED = /^'+[=+\-@\t\r]/
/** A plain number (a negative attribute value): spreadsheets read it as a number, never as a formula, so it goes out as is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/

/**
 * OWASP's CSV injection guard: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, which
 * spreadsheets take as "this is text". Cells that already start with apostrophes before such a character get one more,
 * so `restoreFormulaCell` undoes exactly this and a value never changes on an export-import round trip.
 */
export function guardFormulaCell(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell
}

/** Undoes `guardFormulaCell`: drops the one apostrophe it added (a spreadsheet's text marker reads the same way). */
export function restoreFormulaCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell
}

/** One CSV line (with CRLF) for `cells`, formula cells guarded and quoted, other cells quoted only when they need it. */
export function csvLine(cells: readonly string[]): string {
  const quoted = (cell: string) => `"${cell.replaceAll('"', '""')}"`
  return `${cells.map((cell) => (guardFormulaCell(cell) !== cell ? quoted(guardFormulaCell(cell)) : NEEDS_QUOTES.test(cell) ? quoted(cell) : cell)).join(',')}\r\n`
}
