// What an API key looks like: its recognisable prefix, its random part, and the visible prefix kept in clear.
import { randomToken } from '../lib/crypto'

/** Every key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'vk_live_'
const API_KEY_RANDOM_BYTES = 32
/** Characters of the key kept in clear to tell keys apart in lists. */
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 6

/** A fresh key: the prefix and 32 random bytes, base64url. Shown to its creator once. */
export function generateApiKey(): { key: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomToken(API_KEY_RANDOM_BYTES)}`
  return { key, prefix: key.slice(0, VISIBLE_PREFIX_LENGTH) }
}

/** Publishable keys (safe in a web page, storefront scope only) start with this. */
export const PUBLISHABLE_KEY_PREFIX = 'vk_pub_'

/** A fresh key of either kind: the prefix and 32 random bytes, base64url. Shown to its creator once. */
export function generateKey(kind: 'secret' | 'publishable'): { key: string; prefix: string } {
  if (kind === 'secret') return generateApiKey()
  const key = `${PUBLISHABLE_KEY_PREFIX}${randomToken(API_KEY_RANDOM_BYTES)}`
  return { key, prefix: key.slice(0, PUBLISHABLE_KEY_PREFIX.length + 6) }
}

/** Keys issued by CLIP Comparador start with this; they are registered by their SHA-256 hash (POST /v1/api-keys/import). */
export const IMPORTED_KEY_PREFIX = 'clip_'

/** True when a credential looks like an API key: ours, secret or publishable, or an imported one (so it is not treated as a JWT). */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX) || credential.startsWith(PUBLISHABLE_KEY_PREFIX) || credential.startsWith(IMPORTED_KEY_PREFIX)
}
