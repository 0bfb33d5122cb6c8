// Name resolution for the URL fetcher. A Worker cannot resolve names itself, so it asks a DNS-over-HTTPS
// resolver (the JSON API) for A and AAAA records; the base URL is the DNS_RESOLVER_URL var.

/** Resolves a host name to every address it currently has. */
export interface HostResolver {
  resolve(hostname: string, signal?: AbortSignal): Promise<string[]>
}

/** Raised when the resolver cannot be asked or answers with an error other than "no such name". */
export class ResolverError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ResolverError'
  }
}

/** DNS record types of the JSON API: A and AAAA carry addresses; CNAMEs (5) are followed by the resolver. */
const RECORD_TYPES = { A: 1, AAAA: 28 } as const
/** RCODE 3: the name does not exist (no addresses, not a failure). */
const NXDOMAIN = 3

interface DnsJsonAnswer {
  Status?: number
  Answer?: { type?: number; data?: string }[]
}

async function lookup(baseUrl: string, hostname: string, type: keyof typeof RECORD_TYPES, signal?: AbortSignal): Promise<string[]> {
  const url = new URL(baseUrl)
  url.searchParams.set('name', hostname)
  url.searchParams.set('type', type)
  const res = await fetch(url, { headers: { accept: 'application/dns-json' }, ...(signal ? { signal } : {}) })
  if (!res.ok) throw new ResolverError(`resolver answered ${res.status}`)
  const body = (await res.json()) as DnsJsonAnswer
  if (body.Status === NXDOMAIN) return []
  if (body.Status !== 0) throw new ResolverError(`resolver status ${String(body.Status)}`)
  return (body.Answer ?? []).filter((a) => a.type === RECORD_TYPES[type] && typeof a.data === 'string').map((a) => a.data ?? '')
}

/** A resolver that asks a DNS-over-HTTPS JSON endpoint (e.g. https://cloudflare-dns.com/dns-query) for A and AAAA. */
export function dohResolver(baseUrl: string): HostResolver {
  return {
    async resolve(hostname, signal) {
      const [v4, v6] = await Promise.all([lookup(baseUrl, hostname, 'A', signal), lookup(baseUrl, hostname, 'AAAA', signal)])
      return [...v4, ...v6]
    },
  }
}
