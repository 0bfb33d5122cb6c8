// Webhook URLs pass the image fetcher's address guard: https (http only to loopback in development), and no host that
// resolves to a private, loopback, link-local or metadata address. Checked when an endpoint is saved and again before
// every delivery run, since DNS may change after the endpoint was accepted.
import { ApiError } from '../lib/errors'
import { isForbiddenAddress, isIpLiteral, parseIpv4, parseIpv6 } from '../media/addresses'
import { dohResolver } from '../media/resolver'

const LOCAL_NAMES = /(^|\.)localhost$/i

/** Why a URL is refused, as the issue `code` (and the delivery log's reason). */
export type WebhookUrlRefusal = 'invalid_url' | 'unsupported_scheme' | 'forbidden_address' | 'dns_failure'

/** A refused URL: the code and a sentence for people. */
export interface WebhookUrlProblem {
  code: WebhookUrlRefusal
  message: string
}

function isLoopback(address: string): boolean {
  const v4 = parseIpv4(address)
  if (v4 !== undefined) return v4 >> 24n === 127n
  return parseIpv6(address) === 1n
}

/** The problem with `rawUrl` as a webhook target right now, or null when it may be called. */
export async function webhookUrlProblem(env: Pick<Env, 'ENVIRONMENT' | 'DNS_RESOLVER_URL'>, rawUrl: string): Promise<WebhookUrlProblem | null> {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { code: 'invalid_url', message: 'not an absolute URL' }
  }
  const development = env.ENVIRONMENT === 'development'
  if (url.protocol !== 'https:' && !(development && url.protocol === 'http:')) return { code: 'unsupported_scheme', message: 'only https URLs are allowed' }
  if (url.username || url.password) return { code: 'invalid_url', message: 'credentials in the URL are not allowed' }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  if (LOCAL_NAMES.test(host)) addresses = ['127.0.0.1']
  else if (isIpLiteral(host)) addresses = [host]
  else {
    try {
      addresses = await dohResolver(env.DNS_RESOLVER_URL).resolve(host, AbortSignal.timeout(5_000))
    } catch {
      return { code: 'dns_failure', message: `${host} could not be resolved` }
    }
    if (addresses.length === 0) return { code: 'dns_failure', message: `${host} has no addresses` }
  }
  const forbidden = addresses.find((a) => isForbiddenAddress(a) && !(development && isLoopback(a)))
  if (forbidden) return { code: 'forbidden_address', message: `${host} points to ${forbidden}, which is not a public address` }
  if (url.protocol === 'http:' && !addresses.every(isLoopback)) return { code: 'unsupported_scheme', message: 'plain http is allowed only to loopback in development' }
  return null
}

/** Throws 400 `invalid_request` (path `url`) unless `rawUrl` may be a webhook target. */
export async function assertWebhookUrl(env: Pick<Env, 'ENVIRONMENT' | 'DNS_RESOLVER_URL'>, rawUrl: string): Promise<void> {
  const problem = await webhookUrlProblem(env, rawUrl)
  if (problem) throw new ApiError('invalid_request', `The webhook URL is refused: ${problem.message}`, { details: [{ in: 'json', path: 'url', message: problem.message, code: problem.code }] })
}
