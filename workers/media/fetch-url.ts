// Fetches an image by URL for an upload without becoming a proxy into private networks: http(s) only, every hop's
// host resolved right before its request and refused when any address is not public; redirects followed by hand and
// re-checked; one deadline and a byte cap for the whole fetch. Every failure that depends on the remote answers one
// code, so the fetcher cannot be used to tell a closed port from an error page.
import { ApiError } from '../lib/errors'
import { isForbiddenAddress, isIpLiteral } from './addresses'
import { ResolverError, type HostResolver } from './resolver'

/** Limits of one URL fetch. */
export interface RemoteFetchLimits {
  maxBytes: number
  timeoutMs: number
  maxRedirects: number
}

/**
 * Machine-readable reasons a URL is refused, returned as the issue `code`. The first three are our own rules and never
 * depend on what the remote does; `upstream_failed` covers everything that does (DNS failure or no address, refused or
 * reset connection, timeout, error status, too many redirects, a body over the cap, bytes that are not an accepted
 * image), so answers cannot map which ports of a host are open.
 */
export type RefusalReason = 'invalid_url' | 'unsupported_scheme' | 'forbidden_address' | 'upstream_failed'

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:'])
/** Names that always mean this machine, whatever a resolver says (RFC 6761). */
const LOCAL_NAMES = /(^|\.)localhost$/i
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

function refuse(reason: RefusalReason, message: string): ApiError {
  return new ApiError('invalid_request', `The image URL cannot be fetched: ${message}`, { details: [{ in: 'json', path: 'url', message, code: reason }] })
}

const UPSTREAM_MESSAGE = 'it did not give an accepted image (unreachable, an error status, too slow, too many redirects, too large, or not a JPEG, PNG, WebP or AVIF within the limits)'

/** The one answer to every failure that depends on the remote; the actual cause goes to the log only. */
function upstreamFailed(cause: string): ApiError {
  console.warn(JSON.stringify({ level: 'warn', msg: 'url fetch failed', cause }))
  return refuse('upstream_failed', UPSTREAM_MESSAGE)
}

/** Runs the content checks (`check`, e.g. validateImage) on fetched bytes; their failures answer as upstream failures. */
export function checkFetched<T>(bytes: Uint8Array, check: (bytes: Uint8Array) => T): T {
  try {
    return check(bytes)
  } catch (error) {
    if (error instanceof ApiError) throw upstreamFailed(`content: ${error.message}`)
    throw error
  }
}

async function assertPublicHost(url: URL, resolver: HostResolver, signal: AbortSignal): Promise<void> {
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) throw refuse('unsupported_scheme', `only http and https URLs are fetched, not ${url.protocol.replace(':', '')}`)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (LOCAL_NAMES.test(host)) throw refuse('forbidden_address', `${host} is a local name`)
  let addresses: string[]
  if (isIpLiteral(host)) {
    addresses = [host]
  } else {
    try {
      addresses = await resolver.resolve(host, signal)
    } catch (error) {
      if (signal.aborted) throw upstreamFailed('timeout during DNS')
      throw upstreamFailed(`dns: ${host} (${error instanceof ResolverError ? error.message : 'resolver unreachable'})`)
    }
    if (addresses.length === 0) throw upstreamFailed(`dns: ${host} has no addresses`)
  }
  const forbidden = addresses.find(isForbiddenAddress)
  if (forbidden) throw refuse('forbidden_address', `${host} points to ${forbidden}, which is not a public address`)
}

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  const tooLarge = () => upstreamFailed(`body over ${maxBytes} bytes`)
  if (declared > maxBytes) {
    await res.body?.cancel()
    throw tooLarge()
  }
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = res.body?.getReader()
  while (reader) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * Fetches `rawUrl` under the SSRF rules and limits; 400 `invalid_request` with a reason otherwise. The host of each hop
 * is resolved (never cached) immediately before its request, which narrows but cannot close the DNS-rebinding window:
 * a Worker's `fetch` resolves the name again and cannot be pinned to the checked address (see the README).
 */
export async function fetchRemoteImage(rawUrl: string, resolver: HostResolver, limits: RemoteFetchLimits): Promise<Uint8Array> {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    throw refuse('invalid_url', 'not an absolute URL')
  }
  const signal = AbortSignal.timeout(limits.timeoutMs)
  try {
    for (let hop = 0; hop <= limits.maxRedirects; hop += 1) {
      await assertPublicHost(url, resolver, signal)
      const res = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'image/avif,image/webp,image/png,image/jpeg' } })
      const location = res.headers.get('location')
      if (REDIRECT_STATUSES.has(res.status) && location) {
        await res.body?.cancel()
        url = new URL(location, url)
        continue
      }
      if (!res.ok) {
        await res.body?.cancel()
        throw upstreamFailed(`status ${res.status}`)
      }
      return await readCapped(res, limits.maxBytes)
    }
  } catch (error) {
    if (error instanceof ApiError) throw error
    if (signal.aborted) throw upstreamFailed(`no complete answer within ${limits.timeoutMs} ms`)
    throw upstreamFailed('connection failed')
  }
  throw upstreamFailed(`more than ${limits.maxRedirects} redirects`)
}
