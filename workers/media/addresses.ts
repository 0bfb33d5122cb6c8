// Classifies IP addresses for the URL fetcher: loopback, private, link-local, CGNAT, metadata and other
// non-public ranges are refused, including IPv4 addresses wrapped in IPv6 (compatible, mapped, translated, NAT64, 6to4).

interface Range {
  base: bigint
  prefix: number
  bits: 32 | 128
}

function range(address: string, prefix: number): Range {
  const v4 = parseIpv4(address)
  if (v4 !== undefined) return { base: v4, prefix, bits: 32 }
  const v6 = parseIpv6(address)
  if (v6 === undefined) throw new Error(`bad range ${address}`)
  return { base: v6, prefix, bits: 128 }
}

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry, plus multicast and reserved). */
const FORBIDDEN_V4: Range[] = [
  range('0.0.0.0', 8),
  range('10.0.0.0', 8),
  range('100.64.0.0', 10),
  range('127.0.0.0', 8),
  range('169.254.0.0', 16),
  range('172.16.0.0', 12),
  range('192.0.0.0', 24),
  range('192.0.2.0', 24),
  range('192.88.99.0', 24),
  range('192.168.0.0', 16),
  range('198.18.0.0', 15),
  range('198.51.100.0', 24),
  range('203.0.113.0', 24),
  range('224.0.0.0', 4),
  range('240.0.0.0', 4),
]

/**
 * IPv6 is an allow-list: only global unicast (2000::/3) can be public. That alone refuses ::/96 (IPv4-compatible,
 * with :: and ::1), ::ffff:0:0/96 (mapped), ::ffff:0:0:0/96 (SIIT translated), 64:ff9b:1::/48 (local-use NAT64),
 * 100::/64 (discard), 5f00::/16 (SRv6), fc00::/7 (unique-local, with fd00:ec2::254, the EC2 metadata address),
 * fe80::/10 (link-local), fec0::/10 (site-local) and ff00::/8 (multicast).
 */
const GLOBAL_UNICAST = range('2000::', 3)

/**
 * Special-purpose ranges inside 2000::/3 (IANA IPv6 special-purpose registry): 2001::/23, the IETF protocol block
 * with Teredo 2001::/32 (a tunnel to any IPv4 host), benchmarking, AMT, AS112 and ORCHID v1/v2 (2001:10::/28,
 * 2001:20::/28); documentation 2001:db8::/32 and 3fff::/20.
 */
const FORBIDDEN_V6: Range[] = [range('2001::', 23), range('2001:db8::', 32), range('3fff::', 20)]

/**
 * IPv6 prefixes that embed an IPv4 address, checked against the IPv4 list: well-known NAT64 64:ff9b::/96 (low 32 bits,
 * outside 2000::/3 but a real gateway to IPv4 hosts) and 6to4 2002::/16 (bits 16–47).
 */
const NAT64 = range('64:ff9b::', 96)
const SIX_TO_FOUR = range('2002::', 16)

function inRange(address: bigint, r: Range): boolean {
  const shift = BigInt(r.bits - r.prefix)
  return address >> shift === r.base >> shift
}

/** Parses dotted-quad IPv4 into a 32-bit number; undefined when it is not exactly four decimal octets. */
export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n)
}

/** Parses IPv6 (with `::` compression, an optional trailing dotted quad, brackets and a zone) into a 128-bit number. */
export function parseIpv6(text: string): bigint | undefined {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (!bare.includes(':')) return undefined
  let groups: string[]
  const tailV4 = bare.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/)
  let head = bare
  let tail: bigint | undefined
  if (tailV4) {
    tail = parseIpv4(tailV4[2] ?? '')
    if (tail === undefined) return undefined
    head = `${tailV4[1] ?? ''}0:0`
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const left = halves[0] ? halves[0].split(':') : []
  if (halves.length === 2) {
    const right = halves[1] ? halves[1].split(':') : []
    const missing = 8 - left.length - right.length
    if (missing < 1) return undefined
    groups = [...left, ...Array<string>(missing).fill('0'), ...right]
  } else {
    groups = left
  }
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined
  const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
  return tail === undefined ? value : (value & ~0xffffffffn) | tail
}

/** True for any address a server-side fetch must never reach; unparseable input counts as forbidden. */
export function isForbiddenAddress(address: string): boolean {
  const v4 = parseIpv4(address)
  if (v4 !== undefined) return FORBIDDEN_V4.some((r) => inRange(v4, r))
  const v6 = parseIpv6(address)
  if (v6 === undefined) return true
  if (inRange(v6, NAT64)) return FORBIDDEN_V4.some((r) => inRange(v6 & 0xffffffffn, r))
  if (!inRange(v6, GLOBAL_UNICAST) || FORBIDDEN_V6.some((r) => inRange(v6, r))) return true
  if (inRange(v6, SIX_TO_FOUR)) return FORBIDDEN_V4.some((r) => inRange((v6 >> 80n) & 0xffffffffn, r))
  return false
}

/** True when `hostname` (as `URL.hostname` gives it) is an IP literal rather than a name. */
export function isIpLiteral(hostname: string): boolean {
  return parseIpv4(hostname) !== undefined || parseIpv6(hostname) !== undefined
}
