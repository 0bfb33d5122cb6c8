// Speaks Hugging Face inference through `@huggingface/inference`'s InferenceClient: an inference provider through the
// router (hfProvider, e.g. "together"), or a dedicated endpoint / TGI server (baseUrl as the client's endpointUrl).
import { InferenceClient, InferenceClientProviderApiError, InferenceClientProviderOutputError, type InferenceProviderOrPolicy } from '@huggingface/inference'
import { redact, retryAfterMs, UpstreamError, type ChatBody, type ChatChunk, type ChatCompletion, type ProviderConfig } from './types'

type ChatArgs = Parameters<InferenceClient['chatCompletion']>[0]

interface Client {
  client: InferenceClient
  lastResponse: () => Response | undefined
}

function clientFor(provider: ProviderConfig): Client {
  let last: Response | undefined
  const capture: typeof fetch = async (input, init) => {
    last = await fetch(input, init)
    return last
  }
  const client = new InferenceClient(provider.apiKey ?? undefined, {
    ...(provider.baseUrl ? { endpointUrl: provider.baseUrl } : {}),
    fetch: capture,
    retry_on_error: false,
  })
  return { client, lastResponse: () => last }
}

function args(provider: ProviderConfig, body: ChatBody): ChatArgs {
  const rest: Record<string, unknown> = { ...body }
  delete rest.stream
  delete rest.stream_options
  const routed = provider.baseUrl ? {} : { provider: (provider.hfProvider ?? 'auto') as InferenceProviderOrPolicy }
  return { ...(rest as unknown as ChatArgs), model: provider.model, ...routed }
}

function translate(error: unknown, provider: ProviderConfig, signal: AbortSignal, last: Response | undefined): UpstreamError {
  if (error instanceof UpstreamError) return error
  if (signal.aborted) return signal.reason instanceof UpstreamError ? signal.reason : new UpstreamError('cancelled', 'aborted')
  if (error instanceof InferenceClientProviderApiError) {
    const status = error.httpResponse.status
    return new UpstreamError('status', redact(`the provider answered ${status}: ${error.message}`, provider.apiKey), {
      status,
      ...(status === 429 || status === 503 ? { retryAfterMs: retryAfterMs(last?.headers.get('retry-after') ?? null) ?? 0 } : {}),
    })
  }
  if (error instanceof InferenceClientProviderOutputError || error instanceof SyntaxError) return new UpstreamError('malformed', redact(error.message, provider.apiKey))
  if (last && error instanceof Error && /error/i.test(error.message) && !(error instanceof TypeError)) return new UpstreamError('malformed', redact(error.message, provider.apiKey))
  return new UpstreamError('connection', redact(`cannot reach the provider: ${String(error)}`, provider.apiKey))
}

/** Streams a completion through the InferenceClient; a stream that ends without a finish_reason is a cut stream. */
export async function* streamHuggingFace(provider: ProviderConfig, body: ChatBody, signal: AbortSignal): AsyncGenerator<ChatChunk> {
  const { client, lastResponse } = clientFor(provider)
  let finished = false
  try {
    for await (const chunk of client.chatCompletionStream(args(provider, body), { signal })) {
      const out = chunk as unknown as ChatChunk
      if (out.choices?.some((c) => c.finish_reason)) finished = true
      yield out
    }
  } catch (error) {
    throw translate(error, provider, signal, lastResponse())
  }
  if (!finished) throw new UpstreamError('cut', 'the stream ended without a finish_reason')
}

/** Asks for a whole completion through the InferenceClient. */
export async function completeHuggingFace(provider: ProviderConfig, body: ChatBody, signal: AbortSignal): Promise<ChatCompletion> {
  const { client, lastResponse } = clientFor(provider)
  try {
    return (await client.chatCompletion(args(provider, body), { signal })) as unknown as ChatCompletion
  } catch (error) {
    throw translate(error, provider, signal, lastResponse())
  }
}
