// One delivery attempt: POST the message with the Standard Webhooks headers, 15 s for a complete answer, and the
// first 1 KB of whatever came back for the log. Redirects are not followed (a 3xx is a failure).
import { DELIVERY_TIMEOUT_MS, signatureHeader } from '../../workers/webhooks/signing'

/** Bytes of the response kept in the log. */
export const RESPONSE_LOG_BYTES = 1024

/** What one attempt got. */
export interface AttemptOutcome {
  succeeded: boolean
  status: number | null
  latencyMs: number
  response: string
}

async function firstBytes(res: Response): Promise<string> {
  const reader = res.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  while (total < RESPONSE_LOG_BYTES) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    total += value.byteLength
  }
  await reader.cancel().catch(() => undefined)
  const bytes = new Uint8Array(Math.min(total, RESPONSE_LOG_BYTES))
  let offset = 0
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.byteLength - offset)
    bytes.set(part, offset)
    offset += part.byteLength
    if (offset >= bytes.byteLength) break
  }
  // Postgres text cannot hold NUL, and a log row that cannot be written would block the log behind it.
  return new TextDecoder().decode(bytes).replaceAll('\u0000', '\uFFFD')
}

/** Sends one attempt of `body` (event `id`) to `url`, signed with every secret in `secrets`. */
export async function sendAttempt(url: string, secrets: string[], id: string, body: string): Promise<AttemptOutcome> {
  const started = Date.now()
  const timestamp = Math.floor(started / 1000)
  const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS)
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Vitrina-Webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signatureHeader(secrets, id, timestamp, body),
      },
      body,
    })
    const response = await firstBytes(res)
    return { succeeded: res.status >= 200 && res.status < 300, status: res.status, latencyMs: Date.now() - started, response }
  } catch (error) {
    const reason = signal.aborted ? `no complete answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `connection failed: ${error instanceof Error ? error.message : String(error)}`
    return { succeeded: false, status: null, latencyMs: Date.now() - started, response: reason }
  }
}
