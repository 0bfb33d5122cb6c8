// The one place the Worker builds its Stripe client: configuration from the environment (secrets, optional), the fetch
// HTTP client and SubtleCrypto provider workerd needs, and the mapping of Stripe's failures to the API's error shape.
import Stripe from 'stripe'
import { ApiError } from '../lib/errors'

/** Stripe's variables: secrets set with `wrangler secret put`, none required; without them payments are off (503). */
export interface StripeBindings {
  STRIPE_SECRET_KEY?: string
  STRIPE_WEBHOOK_SECRET?: string
  STRIPE_CONNECT_WEBHOOK_SECRET?: string
  /** Where the Stripe API is (tests point it at their local server); empty means Stripe's own. */
  STRIPE_API_BASE?: string
}

/** Every variable the billing and payment routes need, named in the 503 when any is missing. */
export const STRIPE_VARIABLES = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_CONNECT_WEBHOOK_SECRET'] as const

/** Stripe calls are retried this many times on network errors and 5xx (with the same idempotency key). */
const MAX_NETWORK_RETRIES = 2
/** Stripe answers within seconds; a Worker request should not wait longer than this on one call. */
const STRIPE_TIMEOUT_MS = 15_000

/** The Stripe settings of a configured environment. */
export interface StripeSettings {
  secretKey: string
  webhookSecret: string
  connectWebhookSecret: string
  apiBase: string | null
}

/** Reads the Stripe settings, or throws 503 `payments_not_configured` naming the variables still to set. */
export function stripeSettings(env: object): StripeSettings {
  const vars = env as StripeBindings
  const missing = STRIPE_VARIABLES.filter((name) => !vars[name])
  if (missing.length > 0) {
    throw new ApiError('payments_not_configured', `Stripe is not configured on this server: set ${missing.join(', ')} (see the README, "Stripe")`, { details: { missing } })
  }
  return {
    secretKey: vars.STRIPE_SECRET_KEY ?? '',
    webhookSecret: vars.STRIPE_WEBHOOK_SECRET ?? '',
    connectWebhookSecret: vars.STRIPE_CONNECT_WEBHOOK_SECRET ?? '',
    apiBase: vars.STRIPE_API_BASE || null,
  }
}

/** A Stripe client for this environment (fetch-based, so it runs in workerd), pointed at STRIPE_API_BASE when set. */
export function stripeClient(env: object): Stripe {
  const settings = stripeSettings(env)
  const base = settings.apiBase ? new URL(settings.apiBase) : null
  return new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: MAX_NETWORK_RETRIES,
    timeout: STRIPE_TIMEOUT_MS,
    ...(base
      ? { host: base.hostname, port: base.port || (base.protocol === 'https:' ? '443' : '80'), protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const) }
      : {}),
  })
}

/** The SubtleCrypto provider webhook signatures are checked with (Node's crypto is not there in workerd). */
export const webhookCrypto = Stripe.createSubtleCryptoProvider()

/** Runs one Stripe call; a Stripe failure leaves as 502 `payment_provider_error` with Stripe's code and request id. */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new ApiError('payment_provider_error', `Stripe refused to ${what}: ${error.message}`, {
        details: { type: error.type, code: error.code ?? null, stripeStatus: error.statusCode ?? null, requestId: error.requestId ?? null },
      })
    }
    throw error
  }
}

/** Which signing secret checks an endpoint's events. */
export type WebhookSecretName = 'webhookSecret' | 'connectWebhookSecret'

/**
 * Checks a webhook's signature on the raw body (and its timestamp, 5 minutes' tolerance) and answers the event; 400
 * `invalid_request` on a missing, bad or stale signature.
 */
export async function verifyWebhook(env: object, secret: WebhookSecretName, rawBody: string, signature: string | undefined): Promise<Stripe.Event> {
  const settings = stripeSettings(env)
  const issue = (message: string) => new ApiError('invalid_request', message, { details: [{ in: 'header', path: 'stripe-signature', message, code: 'invalid_signature' }] })
  if (!signature) throw issue('The Stripe-Signature header is missing')
  try {
    return await Stripe.webhooks.constructEventAsync(rawBody, signature, settings[secret], undefined, webhookCrypto)
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw issue(`The Stripe signature does not verify: ${error.message}`)
    throw issue('The body is not a Stripe event')
  }
}
