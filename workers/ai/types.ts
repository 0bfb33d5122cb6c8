// The AI gateway's shared vocabulary: a provider as the gateway calls it, upstream chunks, and the ways a call fails.
import type { AiCallOutcome, AiProviderKind } from '../db/schema/ai'

/** One provider, ready to call (credential decrypted); tenant providers have uuids, platform ones `platform:<name>`. */
export interface ProviderConfig {
  id: string
  kind: AiProviderKind
  name: string
  baseUrl: string | null
  hfProvider: string | null
  model: string
  apiKey: string | null
  enabled: boolean
  inputPricePerMTok: number
  outputPricePerMTok: number
  firstTokenTimeoutMs: number
}

/** The OpenAI chat completions request, passed through (tools included) apart from `model` and `stream`. */
export type ChatBody = Record<string, unknown> & { messages: unknown[]; stream?: boolean | undefined }

/** One streamed chunk (`chat.completion.chunk`), as much of it as the gateway reads. */
export interface ChatChunk {
  choices?: { delta?: { content?: string | null; tool_calls?: unknown }; finish_reason?: string | null }[]
  usage?: TokenUsage | null
  [key: string]: unknown
}

/** Token counts as OpenAI reports them. */
export interface TokenUsage {
  prompt_tokens?: number
  completion_tokens?: number
}

/** A non-streamed completion, as much of it as the gateway reads. */
export interface ChatCompletion {
  usage?: TokenUsage | null
  [key: string]: unknown
}

/** Why an upstream call failed; `status` for HTTP answers. */
export type UpstreamFailureKind = 'connection' | 'status' | 'timeout' | 'malformed' | 'cut' | 'cancelled'

/** A failed upstream call; `callerFault` (a 4xx other than 408/429) is not the provider's failure. */
export class UpstreamError extends Error {
  readonly kind: UpstreamFailureKind
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined

  constructor(kind: UpstreamFailureKind, message: string, options: { status?: number; retryAfterMs?: number } = {}) {
    super(message)
    this.name = 'UpstreamError'
    this.kind = kind
    this.status = options.status
    this.retryAfterMs = options.retryAfterMs
  }

  /** The caller's own mistake (bad request to the provider): neither a breaker failure nor a reason to fall back. */
  get callerFault(): boolean {
    return this.kind === 'status' && this.status !== undefined && this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429
  }
}

/** One call to one provider, as recorded in Postgres (`ai_usage`) through the ProviderHealth object's batches. */
export interface UsageRecord {
  id: string
  tenantId: string
  providerId: string
  providerName: string
  model: string
  outcome: AiCallOutcome
  tokensIn: number
  tokensOut: number
  costUsd: number
  latencyMs: number
  ttftMs: number | null
  fallbackDepth: number
  createdAt: string
}

/** What the gateway tells the breaker after a call: a success, a provider failure, or neutral (caller's fault, cancelled). */
export interface CallReport {
  result: 'success' | 'failure' | 'neutral'
  probe: boolean
  latencyMs: number
  ttftMs?: number | undefined
  error?: string | undefined
  retryAfterMs?: number | undefined
  usage?: UsageRecord | undefined
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from now. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** Replaces the credential wherever a provider echoes it, so it never reaches a response, a log line or the breaker. */
export function redact(text: string, apiKey: string | null): string {
  const short = text.length > 300 ? `${text.slice(0, 300)}…` : text
  return apiKey && apiKey.length >= 4 ? short.replaceAll(apiKey, '[redacted]') : short
}
