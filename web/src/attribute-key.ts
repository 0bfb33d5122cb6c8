// Attribute keys derived from their label: "Color correa" → color_correa, as the API's key pattern wants.

/** The longest key the API accepts (`^[a-z][a-z0-9_]{0,63}$`). */
const MAX_KEY_LENGTH = 64

/** A key for `label`: accents stripped, lowercase, runs of other characters as one `_`, starting with a letter. */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ñ/g, 'n')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
  return key.slice(0, MAX_KEY_LENGTH).replace(/_+$/, '')
}

/** True when `key` matches the API's pattern. */
export function isValidKey(key: string): boolean {
  return /^[a-z][a-z0-9_]{0,63}$/.test(key)
}
