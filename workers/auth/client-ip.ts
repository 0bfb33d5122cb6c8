// Which client the per-IP limits (sign-in, registration) count against. A client-IP header is believed only when
// TRUST_CLIENT_IP_HEADER names it, because only a proxy in front of the Worker (Cloudflare's edge) can vouch for it.
import { parseIpv4, parseIpv6 } from '../media/addresses'

/** The key of every client whose address is not known from a trusted header: they share one budget. */
export const UNKNOWN_CLIENT = 'unknown'
/** Longest header value looked at; an IPv6 address with a zone is well under this. */
const MAX_ADDRESS_LENGTH = 64
/** IPv6 clients are keyed by their /64: one subscriber usually holds a whole /64 and can rotate inside it. */
const IPV6_PREFIX_BITS = 64n
/** ::ffff:0:0/96 shifted right by 32 bits: an IPv4 address written as IPv6. */
const IPV4_MAPPED = 0xffffn

function hex(value: bigint, groups: number): string {
  const parts: string[] = []
  for (let i = groups - 1; i >= 0; i--) parts.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16))
  return parts.join(':')
}

/** Normalises one address to its limit key: `v4:a.b.c.d` or `v6:<first four groups>::/64`; undefined when not an IP. */
export function addressKey(text: string): string | undefined {
  const value = text.trim()
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return undefined
  const v4 = parseIpv4(value)
  if (v4 !== undefined) return `v4:${[24n, 16n, 8n, 0n].map((shift) => (v4 >> shift) & 0xffn).join('.')}`
  const v6 = parseIpv6(value)
  if (v6 === undefined) return undefined
  if (v6 >> 32n === IPV4_MAPPED) return addressKey([24n, 16n, 8n, 0n].map((shift) => (v6 >> shift) & 0xffn).join('.'))
  return `v6:${hex(v6 >> (128n - IPV6_PREFIX_BITS), 4)}::/64`
}

/**
 * The per-IP limit key of a request: the address in the header `trustedHeader` names (for a comma-separated list such
 * as X-Forwarded-For, the last entry, which the trusted proxy appended), or {@link UNKNOWN_CLIENT} when no header is
 * trusted, the header is missing, or its value is not an IP address. The key is therefore always short and bounded.
 */
export function clientKey(headers: Headers, trustedHeader: string | undefined): string {
  const name = trustedHeader?.trim().toLowerCase()
  if (!name) return UNKNOWN_CLIENT
  const raw = headers.get(name)
  if (raw === null || raw.length > MAX_ADDRESS_LENGTH * 4) return UNKNOWN_CLIENT
  const last = raw.split(',').pop() ?? ''
  return addressKey(last) ?? UNKNOWN_CLIENT
}
