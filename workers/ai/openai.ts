// Speaks OpenAI chat completions (OpenAI, OpenRouter, Groq, Together, vLLM, Ollama…): JSON or server-sent events.
import { redact, retryAfterMs, UpstreamError, type ChatBody, type ChatChunk, type ChatCompletion, type ProviderConfig } from './types'

function endpoint(provider: ProviderConfig): string {
  const base = (provider.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '')
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`
}

async function post(provider: ProviderConfig, body: ChatBody, stream: boolean, signal: AbortSignal): Promise<Response> {
  const payload = { ...body, model: provider.model, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' }
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`
  let res: Response
  try {
    res = await fetch(endpoint(provider), { method: 'POST', headers, body: JSON.stringify(payload), signal })
  } catch (error) {
    if (signal.aborted) throw signal.reason instanceof UpstreamError ? signal.reason : new UpstreamError('cancelled', 'aborted')
    throw new UpstreamError('connection', redact(`cannot reach the provider: ${String(error)}`, provider.apiKey))
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '')
    throw new UpstreamError('status', redact(`the provider answered ${res.status}${text ? `: ${text}` : ''}`, provider.apiKey), {
      status: res.status,
      ...(res.status === 429 || res.status === 503 ? { retryAfterMs: retryAfterMs(res.headers.get('retry-after')) ?? 0 } : {}),
    })
  }
  return res
}

/** Reads server-sent events and yields each `data:` payload parsed; `[DONE]` ends it, an end without it is a cut stream. */
export async function* readSse(body: ReadableStream<Uint8Array>, apiKey: string | null): AsyncGenerator<ChatChunk> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) throw new UpstreamError('cut', 'the stream ended before [DONE]')
      buffer += value
      let boundary = buffer.search(/\r?\n\r?\n/)
      while (boundary >= 0) {
        const event = buffer.slice(0, boundary)
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '')
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n')
        if (data === '[DONE]') return
        if (data) {
          let chunk: ChatChunk
          try {
            chunk = JSON.parse(data) as ChatChunk
          } catch {
            throw new UpstreamError('malformed', redact(`malformed event: ${data.slice(0, 80)}`, apiKey))
          }
          if (typeof chunk !== 'object' || chunk === null) throw new UpstreamError('malformed', 'an event is not a JSON object')
          if ('error' in chunk && chunk.error) throw new UpstreamError('malformed', redact(`the provider sent an error event: ${JSON.stringify(chunk.error)}`, apiKey))
          yield chunk
        }
        boundary = buffer.search(/\r?\n\r?\n/)
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

/** Streams a completion from an OpenAI-compatible server. */
export async function* streamOpenAi(provider: ProviderConfig, body: ChatBody, signal: AbortSignal): AsyncGenerator<ChatChunk> {
  const res = await post(provider, body, true, signal)
  if (!res.body) throw new UpstreamError('malformed', 'the provider sent no body')
  yield* readSse(res.body, provider.apiKey)
}

/** Asks an OpenAI-compatible server for a whole completion. */
export async function completeOpenAi(provider: ProviderConfig, body: ChatBody, signal: AbortSignal): Promise<ChatCompletion> {
  const res = await post(provider, body, false, signal)
  try {
    const json = (await res.json()) as unknown
    if (typeof json !== 'object' || json === null || !('choices' in json)) throw new Error('no choices')
    return json as ChatCompletion
  } catch {
    if (signal.aborted) throw signal.reason instanceof UpstreamError ? signal.reason : new UpstreamError('cancelled', 'aborted')
    throw new UpstreamError('malformed', 'the provider answered something other than a chat completion')
  }
}
