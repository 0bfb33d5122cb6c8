// Standard Webhooks signing: `whsec_` secrets (base64 of 32 random bytes), `v1,` + base64 HMAC-SHA256 of
// `id.timestamp.body` keyed with the secret's decoded bytes, and the retry schedule every endpoint follows.
const SECRET_PREFIX = 'whsec_'
const SECRET_BYTES = 32

/** Delays before each retry after the first attempt fails: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then the message fails. */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const
/** An attempt that has no complete answer within this long counts as failed. */
export const DELIVERY_TIMEOUT_MS = 15_000
/** How long the secret before a rotation keeps signing. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 3600 * 1000

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))

/** A fresh signing secret (`whsec_` + base64 of 32 random bytes). */
export function newSecret(): string {
  return `${SECRET_PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`
}

/** The `v1,<base64>` signature of one delivery under `secret`. */
export async function signPayload(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const raw = Uint8Array.from(atob(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret), (c) => c.charCodeAt(0))
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`))
  return `v1,${toBase64(new Uint8Array(mac))}`
}

/** The `webhook-signature` header: one signature per valid secret, space-separated (both during a rotation). */
export async function signatureHeader(secrets: string[], id: string, timestampSeconds: number, body: string): Promise<string> {
  return (await Promise.all(secrets.map((s) => signPayload(s, id, timestampSeconds, body)))).join(' ')
}
