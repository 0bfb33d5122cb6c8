// A provider's baseUrl passes the image-URL guard: http(s) only, and no host that resolves to a loopback, private,
// link-local or metadata address; loopback alone is allowed when ENVIRONMENT=development, for a local model server.
import { ApiError } from '../lib/errors'
import { isForbiddenAddress, isIpLiteral, parseIpv4, parseIpv6 } from '../media/addresses'
import { dohResolver } from '../media/resolver'

/** Resolved answers are trusted this long, so a call does not ask DNS every time. */
const RESOLVE_CACHE_MS = 60_000
const LOCAL_NAMES = /(^|\.)localhost$/i
const resolved = new Map<string, { addresses: string[]; until: number }>()

function isLoopback(address: string): boolean {
  const v4 = parseIpv4(address)
  if (v4 !== undefined) return v4 >> 24n === 127n
  return parseIpv6(address) === 1n
}

const refuse = (message: string, code: string) =>
  new ApiError('invalid_request', `The baseUrl is refused: ${message}`, { details: [{ in: 'json', path: 'baseUrl', message, code }] })

/** Throws 400 `invalid_request` (path `baseUrl`) unless `rawUrl` is an http(s) URL whose host is public (or loopback in development). */
export async function assertProviderUrl(env: Pick<Env, 'ENVIRONMENT' | 'DNS_RESOLVER_URL'>, rawUrl: string): Promise<void> {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    throw refuse('not an absolute URL', 'invalid_url')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('only http and https are allowed', 'unsupported_scheme')
  if (url.username || url.password) throw refuse('credentials in the URL are not allowed; use apiKey', 'invalid_url')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const development = env.ENVIRONMENT === 'development'
  let addresses: string[]
  if (LOCAL_NAMES.test(host)) addresses = ['127.0.0.1']
  else if (isIpLiteral(host)) addresses = [host]
  else {
    const cached = resolved.get(host)
    if (cached && cached.until > Date.now()) addresses = cached.addresses
    else {
      try {
        addresses = await dohResolver(env.DNS_RESOLVER_URL).resolve(host, AbortSignal.timeout(5_000))
      } catch {
        throw refuse(`${host} could not be resolved`, 'dns_failure')
      }
      if (addresses.length === 0) throw refuse(`${host} has no addresses`, 'unresolvable_host')
      resolved.set(host, { addresses, until: Date.now() + RESOLVE_CACHE_MS })
    }
  }
  const forbidden = addresses.find((a) => isForbiddenAddress(a) && !(development && isLoopback(a)))
  if (forbidden) throw refuse(`${host} points to ${forbidden}, which is not a public address`, 'forbidden_address')
}
