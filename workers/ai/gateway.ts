// The one call path to AI providers, for the OpenAI-compatible endpoint and the chat assistant: the breaker orders the
// providers, a failure before the first token moves on to the next unseen, a failure after it ends the stream with an
// error event (never two answers), one deadline covers the request, and the caller going away aborts the upstream call.
import { ApiError } from '../lib/errors'
import type { ServerTiming } from '../lib/server-timing'
import type { CallPlan } from '../../durable-objects/provider-health'
import type { ProviderSet } from './providers'
import { completeFrom, streamFrom } from './upstream'
import { UpstreamError, type CallReport, type ChatBody, type ChatChunk, type ProviderConfig, type TokenUsage, type UsageRecord } from './types'

/** The whole request, all fallbacks included, ends by this deadline. */
export const REQUEST_DEADLINE_MS = 120_000

/** Context of one gateway call. */
export interface ChatCall {
  env: Env
  tenantId: string
  set: ProviderSet
  body: ChatBody
  /** Aborted when the client goes away. */
  signal: AbortSignal
  /** Keeps the usage report alive after the response. */
  waitUntil: (promise: Promise<unknown>) => void
  /** Records the breaker's and the upstream's share of the call (the `Server-Timing` header). */
  timing?: ServerTiming
  /** The breaker's plan when the caller asked for it already (alongside the quota, see `planCall`). */
  plan?: CallPlan
}

/** Asks the set's breaker which providers a call may try now, in order (one RPC to its ProviderHealth object). */
export function planCall(env: Env, tenantId: string, set: ProviderSet): Promise<CallPlan> {
  if (set.providers.length === 0) return Promise.resolve({ admitted: [], retryAfterMs: null })
  return env.PROVIDER_HEALTH.getByName(set.healthName).plan(set.scope === 'platform' ? 'platform' : tenantId, set.providers.map((p) => p.id))
}

/**
 * Hands back what a plan reserved when the call does not happen after all (the quota refused it): a half-open provider's
 * probe slot, which would otherwise stay taken until the probe timeout.
 */
export async function releasePlan(env: Env, set: ProviderSet, plan: CallPlan): Promise<void> {
  const probes = plan.admitted.filter((a) => a.probe)
  if (probes.length === 0) return
  const health = env.PROVIDER_HEALTH.getByName(set.healthName)
  await Promise.all(probes.map((a) => health.report(a.id, { result: 'neutral', probe: true, latencyMs: 0 })))
}

interface ReportExtra {
  usage?: TokenUsage | null | undefined
  ttftMs?: number
  error?: string | undefined
  retryAfterMs?: number | undefined
}

interface Attempt {
  provider: ProviderConfig
  depth: number
  probe: boolean
  started: number
  startedPerf: number
  controller: AbortController
}

const encoder = new TextEncoder()
const sse = (data: unknown) => encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)

function costOf(provider: ProviderConfig, usage: TokenUsage | null | undefined): { tokensIn: number; tokensOut: number; costUsd: number } {
  const tokensIn = usage?.prompt_tokens ?? 0
  const tokensOut = usage?.completion_tokens ?? 0
  return { tokensIn, tokensOut, costUsd: (tokensIn * provider.inputPricePerMTok + tokensOut * provider.outputPricePerMTok) / 1_000_000 }
}

/** Aborts the attempt when the caller leaves, the deadline passes, or (until disarmed) the first token is late. */
function startAttempt(provider: ProviderConfig, depth: number, probe: boolean, call: ChatCall, deadline: AbortSignal): Attempt & { firstTokenArrived: () => void } {
  const controller = new AbortController()
  const onAbort = () => controller.abort(call.signal.aborted ? new UpstreamError('cancelled', 'the client went away') : new UpstreamError('timeout', 'the request deadline passed'))
  if (deadline.aborted) onAbort()
  deadline.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(
    () => controller.abort(new UpstreamError('timeout', `no first token within ${provider.firstTokenTimeoutMs} ms`)),
    provider.firstTokenTimeoutMs,
  )
  return { provider, depth, probe, started: Date.now(), startedPerf: performance.now(), controller, firstTokenArrived: () => clearTimeout(timer) }
}

function asUpstreamError(error: unknown, attempt: Attempt): UpstreamError {
  if (error instanceof UpstreamError) return error
  const reason: unknown = attempt.controller.signal.reason
  if (attempt.controller.signal.aborted && reason instanceof UpstreamError) return reason
  return new UpstreamError('connection', error instanceof Error ? error.message : 'the call failed')
}

/** Runs one chat completion across the provider set; answers an OpenAI-shaped JSON or SSE response. */
export async function runChat(call: ChatCall): Promise<Response> {
  const { set, env } = call
  if (set.providers.length === 0) throw new ApiError('service_unavailable', 'No AI provider is configured for this tenant', { details: { reason: 'no_providers' } })
  const health = env.PROVIDER_HEALTH.getByName(set.healthName)
  const plan = call.plan ?? (await planCall(env, call.tenantId, set))
  const deadline = AbortSignal.any([call.signal, AbortSignal.timeout(REQUEST_DEADLINE_MS)])
  const failures: { provider: string; error: string }[] = []

  const report = (attempt: Attempt, result: CallReport['result'], outcome: UsageRecord['outcome'], extra: ReportExtra = {}) => {
    const latencyMs = Date.now() - attempt.started
    const usage: UsageRecord = {
      id: crypto.randomUUID(),
      tenantId: call.tenantId,
      providerId: attempt.provider.id,
      providerName: attempt.provider.name,
      model: attempt.provider.model,
      outcome,
      ...costOf(attempt.provider, extra.usage),
      latencyMs,
      ttftMs: extra.ttftMs ?? null,
      fallbackDepth: attempt.depth,
      createdAt: new Date().toISOString(),
    }
    call.waitUntil(
      health
        .report(attempt.provider.id, { result, probe: attempt.probe, latencyMs, ttftMs: extra.ttftMs, error: extra.error, retryAfterMs: extra.retryAfterMs, usage })
        .catch((error: unknown) => console.error(JSON.stringify({ level: 'error', msg: 'breaker report failed', error: String(error) }))),
    )
  }

  for (const [depth, admission] of plan.admitted.entries()) {
    const provider = set.providers.find((p) => p.id === admission.id)
    if (!provider) continue
    const attempt = startAttempt(provider, depth, admission.probe, call, deadline)
    try {
      if (call.body.stream) {
        const chunks = streamFrom(provider, call.body, attempt.controller.signal)
        const first = await chunks.next()
        attempt.firstTokenArrived()
        call.timing?.add('upstream', performance.now() - attempt.startedPerf, `depth ${depth}`)
        return streamResponse(attempt, chunks, first, report)
      }
      const completion = await completeFrom(provider, call.body, attempt.controller.signal)
      attempt.firstTokenArrived()
      call.timing?.add('upstream', performance.now() - attempt.startedPerf, `depth ${depth}`)
      report(attempt, 'success', 'ok', { usage: completion.usage, ttftMs: Date.now() - attempt.started })
      return Response.json(completion, { headers: { 'x-vitrina-provider': provider.name, 'x-vitrina-fallback-depth': String(depth) } })
    } catch (error) {
      attempt.firstTokenArrived()
      call.timing?.add('failed', performance.now() - attempt.startedPerf, `depth ${depth}`)
      const failure = asUpstreamError(error, attempt)
      if (failure.kind === 'cancelled') {
        report(attempt, 'neutral', 'cancelled')
        throw new ApiError('invalid_request', 'The client closed the request')
      }
      if (failure.callerFault) {
        report(attempt, 'neutral', 'rejected', { error: failure.message })
        throw new ApiError('invalid_request', `The provider refused the request: ${failure.message}`, { details: { provider: provider.name, status: failure.status } })
      }
      report(attempt, 'failure', 'failed', { error: failure.message, retryAfterMs: failure.retryAfterMs })
      failures.push({ provider: provider.name, error: failure.message })
      if (deadline.aborted) break
    }
  }
  const retryAfter = plan.retryAfterMs === null ? 1 : Math.max(1, Math.ceil(plan.retryAfterMs / 1000))
  throw new ApiError('service_unavailable', 'No AI provider could answer', {
    details: { attempts: failures, skipped: set.providers.length - plan.admitted.length },
    headers: { 'Retry-After': String(retryAfter) },
  })
}

type Reporter = (attempt: Attempt, result: CallReport['result'], outcome: UsageRecord['outcome'], extra?: ReportExtra) => void

/** Streams the answer after its first token; a later failure becomes an error event and the stream ends. */
function streamResponse(attempt: Attempt, chunks: AsyncGenerator<ChatChunk>, first: IteratorResult<ChatChunk>, report: Reporter): Response {
  const ttftMs = Date.now() - attempt.started
  let usage: TokenUsage | null | undefined
  let settled = false
  const settle = (result: CallReport['result'], outcome: UsageRecord['outcome'], error?: UpstreamError) => {
    if (settled) return
    settled = true
    report(attempt, result, outcome, { usage, ttftMs, error: error?.message, retryAfterMs: error?.retryAfterMs })
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) {
        if (first.value.usage) usage = first.value.usage
        controller.enqueue(sse(first.value))
      }
    },
    async pull(controller) {
      try {
        const next = await chunks.next()
        if (next.done) {
          controller.enqueue(sse('[DONE]'))
          controller.close()
          settle('success', 'ok')
          return
        }
        if (next.value.usage) usage = next.value.usage
        controller.enqueue(sse(next.value))
      } catch (error) {
        const failure = asUpstreamError(error, attempt)
        if (failure.kind === 'cancelled') {
          settle('neutral', 'cancelled')
          controller.close()
          return
        }
        settle('failure', 'cut', failure)
        controller.enqueue(sse({ error: { code: 'upstream_failed', message: `The provider failed mid-answer: ${failure.message}`, provider: attempt.provider.name } }))
        controller.close()
      }
    },
    async cancel() {
      attempt.controller.abort(new UpstreamError('cancelled', 'the client went away'))
      settle('neutral', 'cancelled')
      await chunks.return(undefined).catch(() => undefined)
    },
  })
  return new Response(body, { headers: sseHeaders(attempt) })
}

function sseHeaders(attempt: Attempt): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-vitrina-provider': attempt.provider.name,
    'x-vitrina-fallback-depth': String(attempt.depth),
  }
}
