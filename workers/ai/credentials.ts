// AI provider API keys at rest: AES-GCM under AI_CREDENTIALS_KEY (base64, 32 bytes). Rotating the key: set the old one
// as AI_CREDENTIALS_KEY_PREVIOUS, deploy, and every key still decrypts; a key is re-encrypted under the new one on save.
import { ApiError } from '../lib/errors'

const VERSION = 'v1'
const IV_BYTES = 12
const KEY_BYTES = 32

/** Secrets the cipher reads; the previous key is optional and only used to decrypt. */
export interface CredentialSecrets {
  AI_CREDENTIALS_KEY: string
  AI_CREDENTIALS_KEY_PREVIOUS?: string
}

const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
const fromBase64 = (text: string) => Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0))

const keyCache = new Map<string, Promise<CryptoKey>>()

function importKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret)
  if (!key) {
    const raw = fromBase64(secret.trim())
    if (raw.byteLength !== KEY_BYTES) throw new Error(`AI_CREDENTIALS_KEY must be base64 of ${KEY_BYTES} bytes`)
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
    keyCache.set(secret, key)
  }
  return key
}

/** Encrypts an API key under the current key; the tenant id is bound as additional data, so a row cannot be moved. */
export async function encryptCredential(secrets: CredentialSecrets, plaintext: string, tenantId: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const key = await importKey(secrets.AI_CREDENTIALS_KEY)
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(tenantId) }, key, new TextEncoder().encode(plaintext))
  return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`
}

/** Decrypts a stored API key with the current key, then the previous one; throws when neither opens it. */
export async function decryptCredential(secrets: CredentialSecrets, sealed: string, tenantId: string): Promise<string> {
  const [version, iv, data] = sealed.split('.')
  if (version !== VERSION || !iv || !data) throw new Error('unknown credential format')
  const candidates = [secrets.AI_CREDENTIALS_KEY, secrets.AI_CREDENTIALS_KEY_PREVIOUS].filter((s): s is string => Boolean(s))
  for (const secret of candidates) {
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(iv), additionalData: new TextEncoder().encode(tenantId) },
        await importKey(secret),
        fromBase64(data),
      )
      return new TextDecoder().decode(plain)
    } catch {
      continue
    }
  }
  throw new ApiError('service_unavailable', 'A provider credential cannot be decrypted with the configured keys')
}

/** The only part of a key ever shown again. */
export function lastFour(apiKey: string): string {
  return apiKey.slice(-4)
}
