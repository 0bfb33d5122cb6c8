// The HTTP email provider: one JSON POST per message in the Resend style (`{from, to: [..], subject, text}` with a
// bearer key), configured by EMAIL_API_URL, EMAIL_API_KEY and EMAIL_FROM; any 2xx is accepted.
import type { EmailMessage, EmailSender } from './sender'

/** Where and as whom email is sent. */
export interface EmailApiConfig {
  url: string
  key: string
  from: string
}

/** How long one send may take before it counts as failed (and is retried by its caller). */
export const EMAIL_TIMEOUT_MS = 10_000

/** What one send did; `retryable` is false for a 4xx other than 408/429 (the message itself is refused). */
export type EmailOutcome = { ok: true } | { ok: false; error: string; retryable: boolean }

interface EmailEnv {
  EMAIL_API_URL?: string
  EMAIL_API_KEY?: string
  EMAIL_FROM?: string
}

/** The provider's configuration, or null when any of the three settings is missing (email is then off). */
export function emailApiConfig(env: EmailEnv): EmailApiConfig | null {
  const url = env.EMAIL_API_URL?.trim() ?? ''
  const key = env.EMAIL_API_KEY?.trim() ?? ''
  const from = env.EMAIL_FROM?.trim() ?? ''
  return url && key && from ? { url, key, from } : null
}

/** Sends one message through the API and says how it went (never throws). */
export async function deliverEmail(config: EmailApiConfig, message: Pick<EmailMessage, 'to' | 'subject' | 'text'>): Promise<EmailOutcome> {
  try {
    const res = await fetch(config.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: config.from, to: [message.to], subject: message.subject, text: message.text }),
      signal: AbortSignal.timeout(EMAIL_TIMEOUT_MS),
    })
    const detail = (await res.text().catch(() => '')).slice(0, 300)
    if (res.ok) return { ok: true }
    return { ok: false, error: `HTTP ${res.status}: ${detail}`, retryable: res.status >= 500 || res.status === 408 || res.status === 429 }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), retryable: true }
  }
}

/** An EmailSender over the API; a failure is logged (the verification and invitation flows let people ask again). */
export function httpEmailSender(config: EmailApiConfig): EmailSender {
  return {
    delivers: true,
    async send(message) {
      const outcome = await deliverEmail(config, message)
      if (!outcome.ok) console.warn(JSON.stringify({ level: 'warn', msg: 'email not sent', kind: message.kind, error: outcome.error }))
    },
  }
}
