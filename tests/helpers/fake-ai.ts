// Local stand-ins for AI providers, started by the test global setup on 127.0.0.1: OpenAI chat completions (JSON and
// SSE) under /p/<id>/v1, and the same protocol as the Hugging Face router / TGI serves it to InferenceClient under
// /hf/<id>. Each <id> follows a script set over /ctl/<id>: ok, 500, 429 with Retry-After, hang, slow first token,
// cut stream, a stream that stalls after its first token, malformed SSE, 400, a tool call (OpenAI `tool_calls`, JSON or
// SSE), and words streamed with a delay; /ctl/<id> also tells how many calls came and how many the caller abandoned.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One scripted behaviour; `times` repeats it before the next step (the last step repeats forever). */
export interface FakeStep {
  kind: 'ok' | 'error500' | 'rate429' | 'hang' | 'slow' | 'cut' | 'stall' | 'malformed' | 'bad400' | 'tool'
  times?: number
  /** For `tool`: the function the model calls, with its JSON arguments. */
  tool?: { name: string; arguments: Record<string, unknown> }
  /** For `ok` streams: pause between words. */
  wordDelayMs?: number
  retryAfterSeconds?: number
  delayMs?: number
  text?: string
}

interface Script {
  steps: FakeStep[]
  used: number
  hits: number
  aborted: number
  authorizations: string[]
  bodies: unknown[]
}

const scripts = new Map<string, Script>()

function script(id: string): Script {
  let s = scripts.get(id)
  if (!s) {
    s = { steps: [{ kind: 'ok' }], used: 0, hits: 0, aborted: 0, authorizations: [], bodies: [] }
    scripts.set(id, s)
  }
  return s
}

function nextStep(s: Script): FakeStep {
  let remaining = s.used
  for (const step of s.steps) {
    const times = step.times ?? Infinity
    if (remaining < times) {
      s.used += 1
      return step
    }
    remaining -= times
  }
  s.used += 1
  return s.steps[s.steps.length - 1] ?? { kind: 'ok' }
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (c: Buffer) => (data += c.toString()))
    req.on('end', () => resolve(data))
  })

const chunk = (id: string, content: string | null, finish: string | null, usage?: unknown) =>
  `data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [{ index: 0, delta: content === null ? {} : { role: 'assistant', content }, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`

async function answer(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const s = script(id)
  s.hits += 1
  s.authorizations.push(req.headers.authorization ?? '')
  const raw = await readBody(req)
  const body = JSON.parse(raw || '{}') as { stream?: boolean; tools?: unknown }
  s.bodies.push(body)
  const step = nextStep(s)
  let finished = false
  res.on('close', () => {
    if (!finished) s.aborted += 1
  })
  const done = () => {
    finished = true
  }
  const text = step.text ?? `Hello from ${id}`
  const usage = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }
  switch (step.kind) {
    case 'error500':
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'boom' } }), done)
      return
    case 'bad400':
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'messages: bad role' } }), done)
      return
    case 'rate429':
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(step.retryAfterSeconds ?? 1) }).end(JSON.stringify({ error: { message: 'slow down' } }), done)
      return
    case 'hang':
      return
    default:
      break
  }
  if (step.kind === 'slow') await new Promise((r) => setTimeout(r, step.delayMs ?? 500))
  if (res.destroyed) return
  if (step.kind === 'tool') {
    const call = { id: `call_${s.hits}`, type: 'function', function: { name: step.tool?.name ?? 'lookup', arguments: JSON.stringify(step.tool?.arguments ?? {}) } }
    if (!body.stream) {
      const message = { role: 'assistant', content: null, tool_calls: [call] }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion', created: 1, model: 'fake', choices: [{ index: 0, message, finish_reason: 'tool_calls' }], usage }), done)
      return
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const toolChunk = (delta: unknown, finish: string | null) => `data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
    const args = call.function.arguments
    const half = Math.floor(args.length / 2)
    res.write(toolChunk({ role: 'assistant', tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, half) } }] }, null))
    res.write(toolChunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] }, null))
    res.write(toolChunk({}, 'tool_calls'))
    res.write(`data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [], usage })}\n\n`)
    res.end('data: [DONE]\n\n', done)
    return
  }
  if (!body.stream) {
    const message = body.tools ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] } : { role: 'assistant', content: text }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion', created: 1, model: 'fake', choices: [{ index: 0, message, finish_reason: 'stop' }], usage }),
      done,
    )
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  if (step.kind === 'malformed') {
    res.end('data: {"choices": [ this is not json\n\n', done)
    return
  }
  const words = text.split(' ')
  res.write(chunk(id, `${words[0] ?? ''}`, null))
  if (step.kind === 'stall') return
  if (step.kind === 'cut') {
    await new Promise((r) => setTimeout(r, 20))
    done()
    res.socket?.destroy()
    return
  }
  for (const w of words.slice(1)) {
    if (step.wordDelayMs) await new Promise((r) => setTimeout(r, step.wordDelayMs))
    if (res.destroyed) return
    res.write(chunk(id, ` ${w}`, null))
  }
  res.write(chunk(id, null, 'stop'))
  res.write(`data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [], usage })}\n\n`)
  res.end('data: [DONE]\n\n', done)
}

/** Starts the fake providers on a free loopback port. */
export async function startFakeAi(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const control = url.pathname.match(/^\/ctl\/([\w-]+)$/)
    if (control?.[1]) {
      const id = control[1]
      if (req.method === 'POST') {
        void readBody(req).then((raw) => {
          scripts.set(id, { steps: (JSON.parse(raw) as { steps: FakeStep[] }).steps, used: 0, hits: 0, aborted: 0, authorizations: [], bodies: [] })
          res.writeHead(204).end()
        })
        return
      }
      const s = script(id)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hits: s.hits, aborted: s.aborted, authorizations: s.authorizations, bodies: s.bodies }))
      return
    }
    const call = url.pathname.match(/^\/(?:p|hf)\/([\w-]+)\/v1\/chat\/completions$/)
    if (call?.[1] && req.method === 'POST') {
      void answer(call[1], req, res)
      return
    }
    res.writeHead(404).end()
  })
  // Longer than workerd keeps idle connections, so a reused connection is never closed under a request.
  server.keepAliveTimeout = 120_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
