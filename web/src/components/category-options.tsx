// The options of a category select: every category in tree order, indented by its depth.
import type { Schemas } from '../api/schema'

/** `<option>`s for `categories` (already parents-first, as the API lists them), leaving out the ids in `exclude`. */
export function CategoryOptions(props: { categories: Schemas['Category'][]; exclude?: Set<string> }) {
  return (
    <>
      {props.categories
        .filter((c) => !props.exclude?.has(c.id))
        .map((c) => (
          <option key={c.id} value={c.id}>
            {'\u00a0\u00a0'.repeat(c.depth)}
            {c.name}
          </option>
        ))}
    </>
  )
}
