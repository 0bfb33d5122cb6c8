// Cell text to typed values for one import row: integers, booleans, lists, and attribute values typed by the tenant's
// definitions; a cell that cannot be read becomes one error naming its column instead of a value.
import type { AttributeValues } from '../../db/schema/catalog'
import type { ImportRowError } from '../../db/schema/imports'
import type { CatalogDefinitions } from '../products'
import { LIST_SEPARATOR } from './columns'

type Definition = CatalogDefinitions['product'][number]

const INTEGER = /^-?\d+$/
const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/

/** Reads cells of one row, collecting an error per unreadable cell. */
export class CellReader {
  readonly errors: ImportRowError[] = []

  constructor(
    private readonly row: number,
    private readonly cells: Map<string, string>,
  ) {}

  /** True when the file has this column at all (an absent column leaves the stored value alone). */
  has(column: string): boolean {
    return this.cells.has(column)
  }

  /** The trimmed cell, '' when empty or absent. */
  text(column: string): string {
    return this.cells.get(column) ?? ''
  }

  /** The cell, or null when empty. */
  nullable(column: string): string | null {
    return this.text(column) || null
  }

  /** A whole number, null when empty, undefined (with an error) when not a whole number. */
  integer(column: string): number | null | undefined {
    const cell = this.text(column)
    if (!cell) return null
    if (INTEGER.test(cell)) return Number(cell)
    this.fail(column, 'must be a whole number (money in minor units, e.g. 12990 for 129.90)')
    return undefined
  }

  /** `true` or `false` (any case), null when empty. */
  boolean(column: string): boolean | null | undefined {
    const cell = this.text(column).toLowerCase()
    if (!cell) return null
    if (cell === 'true' || cell === 'false') return cell === 'true'
    this.fail(column, 'must be true or false')
    return undefined
  }

  /** `|`-separated values without empty entries. */
  list(column: string): string[] {
    return this.text(column)
      .split(LIST_SEPARATOR)
      .map((v) => v.trim())
      .filter(Boolean)
  }

  /** Merges `prefix<key>` columns into `current`: an empty cell removes the key, others are typed by `definitions`. */
  attributes(prefix: string, current: AttributeValues, definitions: Definition[]): AttributeValues {
    const merged: AttributeValues = { ...current }
    for (const column of this.cells.keys()) {
      if (!column.startsWith(prefix)) continue
      const key = column.slice(prefix.length)
      const cell = this.text(column)
      if (!cell) {
        delete merged[key]
        continue
      }
      const value = this.attributeValue(column, cell, definitions.find((d) => d.key === key))
      if (value !== undefined) merged[key] = value
    }
    return merged
  }

  /** Merges `option:<name>` columns into `current` options; an empty cell removes the option. */
  options(prefix: string, current: Record<string, string>): Record<string, string> {
    const merged = { ...current }
    for (const column of this.cells.keys()) {
      if (!column.startsWith(prefix)) continue
      const cell = this.text(column)
      if (cell) merged[column.slice(prefix.length)] = cell
      else delete merged[column.slice(prefix.length)]
    }
    return merged
  }

  /** Records an error on `column` of this row. */
  fail(column: string, message: string): void {
    this.errors.push({ row: this.row, field: column, message })
  }

  private attributeValue(column: string, cell: string, def: Definition | undefined): AttributeValues[string] | undefined {
    switch (def?.type) {
      case 'number':
        if (DECIMAL.test(cell)) return Number(cell)
        this.fail(column, 'must be a number')
        return undefined
      case 'boolean': {
        const value = this.boolean(column)
        return value ?? undefined
      }
      case 'list':
        return def.multiple ? this.list(column) : cell
      default:
        return cell
    }
  }
}
