// The assistant's reply for one room: the conversation so far goes through the AI gateway (fallback, breakers, usage),
// streamed text reaches the room as it arrives, tool calls run against the catalog and the cart (up to MAX_TOOL_ROUNDS),
// and the outcome says whether the reply was cut (provider failure, or stopped by a handoff).
import { runChat } from '../../workers/ai/gateway'
import type { ProviderSet } from '../../workers/ai/providers'
import type { ChatChunk, TokenUsage } from '../../workers/ai/types'
import { ASSISTANT_CONTEXT_MESSAGES, MAX_TOOL_ROUNDS } from '../../workers/chat/limits'
import { textOf, type ChatPart } from '../../workers/chat/protocol'
import type { AssistantSettings } from '../../workers/chat/settings'
import { runTool, toolDefinitions, type ToolContext } from '../../workers/chat/tools'
import type { StoredMessage } from './store'

/** What the reply needs from its room. */
export interface ReplyContext {
  tools: ToolContext
  settings: AssistantSettings
  providers: ProviderSet
  history: StoredMessage[]
  /** Aborted when a human is asked for or takes over. */
  signal: AbortSignal
  waitUntil: (promise: Promise<unknown>) => void
  /** Called with each piece of streamed text. */
  onText: (text: string) => void
}

/** How a reply ended, with what it cost. */
export interface ReplyOutcome {
  parts: ChatPart[]
  interrupted: boolean
  /** Why nothing could be answered (no provider answered), or null. */
  failure: string | null
  handoff: string | null
  provider: string | null
  model: string | null
  tokensIn: number
  tokensOut: number
  costUsd: number
  latencyMs: number
}

type Message = Record<string, unknown>
interface ToolCall {
  id: string
  name: string
  arguments: string
}

function systemPrompt(settings: AssistantSettings): string {
  const fallback = settings.language === 'es' ? 'Spanish' : 'English'
  return [
    `You are ${settings.name}, the shop's assistant. Answer in the shopper's language (Spanish or English); when unclear, in ${fallback}.`,
    'Ground every answer about products, prices and stock in the tools; never invent them. Prices are integers in minor units of their currency.',
    'Hand off to a person when the shopper asks for one or you cannot help.',
    settings.instructions,
  ]
    .filter(Boolean)
    .join('\n')
}

function contextMessages(history: StoredMessage[]): Message[] {
  return history.slice(-ASSISTANT_CONTEXT_MESSAGES).flatMap((m): Message[] => {
    const content = textOf(m.parts)
    if (m.role === 'shopper') return [{ role: 'user', content }]
    if (m.role === 'assistant') return content ? [{ role: 'assistant', content }] : []
    if (m.role === 'agent') return [{ role: 'assistant', content: `[${m.author ?? 'agent'}] ${content}` }]
    return []
  })
}

/** The SSE events of a gateway response, parsed; `[DONE]` ends it. */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatChunk & { error?: { message?: string } }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += value
    let end = buffer.indexOf('\n\n')
    while (end >= 0) {
      const event = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      end = buffer.indexOf('\n\n')
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n')
      if (data === '[DONE]') return
      if (data) yield JSON.parse(data) as ChatChunk & { error?: { message?: string } }
    }
  }
}

/** Runs the reply to the end (or until cut) and reports it; it never throws for a provider's failure. */
export async function generateReply(ctx: ReplyContext): Promise<ReplyOutcome> {
  const started = Date.now()
  const outcome: ReplyOutcome = { parts: [], interrupted: false, failure: null, handoff: null, provider: null, model: null, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: 0 }
  const messages: Message[] = [{ role: 'system', content: systemPrompt(ctx.settings) }, ...contextMessages(ctx.history)]
  const tools = toolDefinitions(ctx.settings.tools, ctx.tools.cartId !== null)
  let text = ''
  const cards: ChatPart[] = []
  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    const offerTools = round < MAX_TOOL_ROUNDS && tools.length > 0
    let response: Response
    try {
      response = await runChat({ env: ctx.tools.env, tenantId: ctx.tools.tenantId, set: ctx.providers, body: { messages, stream: true, ...(offerTools ? { tools } : {}) }, signal: ctx.signal, waitUntil: ctx.waitUntil })
    } catch (error) {
      outcome.interrupted = true
      outcome.failure = ctx.signal.aborted ? null : error instanceof Error ? error.message : 'the assistant could not answer'
      break
    }
    const providerName = response.headers.get('x-vitrina-provider')
    const provider = ctx.providers.providers.find((p) => p.name === providerName)
    outcome.provider = providerName
    outcome.model = provider?.model ?? null
    const calls: ToolCall[] = []
    let usage: TokenUsage | null | undefined
    let cut = false
    try {
      for await (const chunk of sseEvents(response.body ?? new ReadableStream())) {
        if (chunk.error) {
          cut = true
          break
        }
        if (chunk.usage) usage = chunk.usage
        const delta = chunk.choices?.[0]?.delta
        if (delta?.content) {
          text += delta.content
          ctx.onText(delta.content)
        }
        for (const piece of (delta?.tool_calls as { index?: number; id?: string; function?: { name?: string; arguments?: string } }[] | undefined) ?? []) {
          const index = piece.index ?? 0
          const call = (calls[index] ??= { id: piece.id ?? `call_${index}`, name: '', arguments: '' })
          if (piece.id) call.id = piece.id
          call.name += piece.function?.name ?? ''
          call.arguments += piece.function?.arguments ?? ''
        }
      }
    } catch {
      cut = true
    }
    const tokensIn = usage?.prompt_tokens ?? 0
    const tokensOut = usage?.completion_tokens ?? 0
    outcome.tokensIn += tokensIn
    outcome.tokensOut += tokensOut
    if (provider) outcome.costUsd += (tokensIn * provider.inputPricePerMTok + tokensOut * provider.outputPricePerMTok) / 1_000_000
    if (cut || ctx.signal.aborted) {
      outcome.interrupted = true
      break
    }
    const called = calls.filter((call) => call.name)
    if (called.length === 0) break
    messages.push({ role: 'assistant', content: null, tool_calls: called.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) })
    for (const call of called) {
      let args: Record<string, unknown> = {}
      try {
        const parsed: unknown = JSON.parse(call.arguments || '{}')
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>
      } catch {
        args = {}
      }
      const result = await runTool(call.name, args, ctx.tools, ctx.settings.tools)
      cards.push(...result.parts)
      if (result.handoff) outcome.handoff = result.handoff
      messages.push({ role: 'tool', tool_call_id: call.id, content: result.content })
    }
    // A handoff ends the reply: the person takes it from here.
    if (outcome.handoff !== null) break
  }
  outcome.parts = [...(text ? [{ type: 'text' as const, text }] : []), ...cards]
  outcome.latencyMs = Date.now() - started
  return outcome
}
