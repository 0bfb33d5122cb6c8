// RFC 4180 CSV: a parser for uploaded files (quoted fields, "" escapes, CRLF or LF, a UTF-8 byte-order mark) and the
// writer the export uses, so whatever the export writes the import reads back cell for cell.

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
      cells.push(value)
    } else {
      let end = index
      while (end < length) {
        const code = text.charCodeAt(end)
        if (code === COMMA || code === CR || code === LF) break
        if (code === QUOTE) throw new CsvSyntaxError('a quote inside an unquoted cell; quote the whole cell', recordNumber)
        end++
      }
      cells.push(text.slice(index, end))
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

/** One CSV line (with CRLF) for `cells`, quoting only cells that need it. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((cell) => (NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')}\r\n`
}
