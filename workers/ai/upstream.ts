// One entry point per call style for every provider kind; `workers-ai` needs the AI binding, which this Worker lacks.
import { completeHuggingFace, streamHuggingFace } from './huggingface'
import { completeOpenAi, streamOpenAi } from './openai'
import { UpstreamError, type ChatBody, type ChatChunk, type ChatCompletion, type ProviderConfig } from './types'

/** Streams chunks from `provider`; errors are UpstreamError. */
export function streamFrom(provider: ProviderConfig, body: ChatBody, signal: AbortSignal): AsyncGenerator<ChatChunk> {
  if (provider.kind === 'huggingface') return streamHuggingFace(provider, body, signal)
  if (provider.kind === 'openai-compatible') return streamOpenAi(provider, body, signal)
  return (async function* unavailable(): AsyncGenerator<ChatChunk> {
    yield* []
    throw new UpstreamError('connection', 'the workers-ai binding is not configured in this deployment')
  })()
}

/** A whole completion from `provider`; errors are UpstreamError. */
export function completeFrom(provider: ProviderConfig, body: ChatBody, signal: AbortSignal): Promise<ChatCompletion> {
  if (provider.kind === 'huggingface') return completeHuggingFace(provider, body, signal)
  if (provider.kind === 'openai-compatible') return completeOpenAi(provider, body, signal)
  return Promise.reject(new UpstreamError('connection', 'the workers-ai binding is not configured in this deployment'))
}

/** A one-token completion: what `POST /v1/ai/providers/:id/test` and the breaker's alarm probes send. */
export async function probe(provider: ProviderConfig, timeoutMs: number): Promise<number> {
  const started = Date.now()
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new UpstreamError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs)
  try {
    await completeFrom(provider, { messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, controller.signal)
    return Date.now() - started
  } finally {
    clearTimeout(timer)
  }
}
