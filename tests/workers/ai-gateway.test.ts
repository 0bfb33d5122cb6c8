// The gateway call against local fake providers: fallback before the first token only, first-token timeouts,
// cancellation reaching the provider, tools passed through, the Hugging Face protocol through InferenceClient,
// credentials absent from every response and log line, and usage summed per tenant.
import { SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BASE, api, onOwnPlan, signUp, type Account } from './helpers'
import { addProvider, eventually, fakeProvider, fakeStats } from './ai-helpers'

const chat = (owner: Account, body: Record<string, unknown>) => api<Record<string, unknown>>('/v1/ai/chat/completions', { token: owner.accessToken, body })
const hello = [{ role: 'user', content: 'hi' }]

async function streamText(owner: Account, body: Record<string, unknown> = {}): Promise<{ res: Response; events: string[] }> {
  const res = await SELF.fetch(`${BASE}/v1/ai/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: hello, stream: true, ...body }),
  })
  const text = await res.text()
  return { res, events: text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, '')) }
}

const contentOf = (events: string[]) =>
  events
    .filter((e) => e.startsWith('{'))
    .map((e) => (JSON.parse(e) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '')
    .join('')

afterEach(() => vi.restoreAllMocks())

describe('the AI gateway call', () => {
  it('falls back before the first token (500, malformed SSE, slow first token), passing tools through', async () => {
    const owner = await signUp()
    const failing = await fakeProvider([{ kind: 'error500', times: 1 }, { kind: 'malformed', times: 1 }, { kind: 'slow', delayMs: 1_500 }])
    const good = await fakeProvider([{ kind: 'ok', text: 'from the secondary' }])
    await addProvider(owner, { baseUrl: failing.baseUrl, firstTokenTimeoutMs: 500 })
    await addProvider(owner, { baseUrl: good.baseUrl })

    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]
    const plain = await chat(owner, { messages: hello, tools })
    expect(plain.res.status).toBe(200)
    expect(plain.res.headers.get('x-vitrina-fallback-depth')).toBe('1')
    // Server-Timing names each step: the quota and breaker asked at once, one failed attempt, then the answer.
    const timing = plain.res.headers.get('server-timing') ?? ''
    for (const step of ['auth', 'providers', 'quota', 'breaker', 'failed', 'upstream']) expect(timing).toMatch(new RegExp(`(^|, )${step};dur=[\\d.]+`))
    expect(timing).toMatch(/upstream;dur=[\d.]+;desc="depth 1"/)
    expect(JSON.stringify(plain.body)).toContain('tool_calls')
    expect((await fakeStats(good.id)).bodies[0]).toMatchObject({ tools, model: 'fake-model' })

    const malformed = await streamText(owner)
    expect(contentOf(malformed.events)).toBe('from the secondary')
    expect(malformed.events.at(-1)).toBe('[DONE]')

    const slow = await streamText(owner)
    expect(contentOf(slow.events)).toBe('from the secondary')
    expect((await fakeStats(failing.id)).hits).toBe(3)
  })

  it('takes one chat message per answered call: a call no provider answered gives it back, a spent quota reaches no provider', async () => {
    const owner = await signUp()
    await onOwnPlan(owner, 'One chat', { monthlyChatMessages: 1 })
    const provider = await fakeProvider([{ kind: 'error500', times: 1 }, { kind: 'ok', text: 'paid for' }])
    await addProvider(owner, { baseUrl: provider.baseUrl })

    expect((await chat(owner, { messages: hello })).res.status).toBe(503)
    const answered = await streamText(owner)
    expect(answered.res.status).toBe(200)
    expect(contentOf(answered.events)).toBe('paid for')
    const spent = await chat(owner, { messages: hello })
    expect(spent.res.status).toBe(429)
    expect(spent.body).toMatchObject({ error: { code: 'quota_exceeded' } })
    expect((await fakeStats(provider.id)).hits).toBe(2)
  })

  it('never falls back after the first token: a cut stream ends with an error event and keeps the partial answer', async () => {
    const owner = await signUp()
    const cutting = await fakeProvider([{ kind: 'cut', text: 'partial answer here' }])
    const spare = await fakeProvider([{ kind: 'ok' }])
    await addProvider(owner, { baseUrl: cutting.baseUrl })
    await addProvider(owner, { baseUrl: spare.baseUrl })
    const { res, events } = await streamText(owner)
    expect(res.status).toBe(200)
    expect(contentOf(events)).toBe('partial')
    expect(events.at(-1)).toContain('"upstream_failed"')
    expect(events).not.toContain('[DONE]')
    expect((await fakeStats(spare.id)).hits).toBe(0)
  })

  it('aborts the upstream call when the client goes away', async () => {
    const owner = await signUp()
    const stalling = await fakeProvider([{ kind: 'stall' }])
    await addProvider(owner, { baseUrl: stalling.baseUrl, firstTokenTimeoutMs: 5_000 })
    const res = await SELF.fetch(`${BASE}/v1/ai/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: hello, stream: true }),
    })
    const reader = res.body?.getReader()
    const first = await reader?.read()
    expect(new TextDecoder().decode(first?.value)).toContain('Hello')
    await reader?.cancel()
    await eventually(async () => ((await fakeStats(stalling.id)).aborted === 1 ? true : undefined))
  })

  it('answers the caller\'s own mistake as 400 without falling back, and 503 with details when every provider fails', async () => {
    const owner = await signUp()
    const picky = await fakeProvider([{ kind: 'bad400' }])
    const spare = await fakeProvider([{ kind: 'ok' }])
    const first = await addProvider(owner, { baseUrl: picky.baseUrl })
    await addProvider(owner, { baseUrl: spare.baseUrl })
    const refused = await chat(owner, { messages: hello })
    expect(refused.res.status).toBe(400)
    expect((await fakeStats(spare.id)).hits).toBe(0)

    await api(`/v1/ai/providers/${first.id}`, { method: 'PATCH', token: owner.accessToken, body: { baseUrl: (await fakeProvider([{ kind: 'error500' }])).baseUrl } })
    await fetch(`${spare.baseUrl.replace(/\/p\/.*/, '')}/ctl/${spare.id}`, { method: 'POST', body: JSON.stringify({ steps: [{ kind: 'error500' }] }) })
    const down = await chat(owner, { messages: hello })
    expect(down.res.status).toBe(503)
    expect(down.body).toMatchObject({ error: { code: 'service_unavailable' } })
    expect(down.res.headers.get('retry-after')).not.toBeNull()
    expect((await chat(owner, { messages: [] })).res.status).toBe(400)
  })

  it('speaks the Hugging Face protocol through InferenceClient, streamed and not, with fallback', async () => {
    const owner = await signUp()
    const hfDown = await fakeProvider([{ kind: 'error500' }], 'hf')
    const hf = await fakeProvider([{ kind: 'ok', text: 'hugging face here' }], 'hf')
    await addProvider(owner, { kind: 'huggingface', baseUrl: hfDown.baseUrl, apiKey: 'hf_secret_down' })
    await addProvider(owner, { kind: 'huggingface', baseUrl: hf.baseUrl, apiKey: 'hf_secret_token' })
    const plain = await chat(owner, { messages: hello })
    expect(plain.res.status, JSON.stringify(plain.body)).toBe(200)
    expect(JSON.stringify(plain.body)).toContain('hugging face here')
    const streamed = await streamText(owner)
    expect(contentOf(streamed.events)).toBe('hugging face here')
    expect((await fakeStats(hf.id)).authorizations[0]).toBe('Bearer hf_secret_token')
  })

  it('never puts a credential in a response or a log line', async () => {
    const owner = await signUp()
    const secret = `sk-live-${crypto.randomUUID()}`
    const logged: string[] = []
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '))
      })
    }
    const down = await fakeProvider([{ kind: 'error500' }])
    const created = await addProvider(owner, { baseUrl: down.baseUrl, apiKey: secret })
    const responses: string[] = [JSON.stringify(created)]
    responses.push(JSON.stringify((await chat(owner, { messages: hello })).body))
    responses.push(JSON.stringify((await api(`/v1/ai/providers/${created.id}/test`, { method: 'POST', token: owner.accessToken })).body))
    responses.push(JSON.stringify((await api('/v1/ai/providers', { token: owner.accessToken })).body))
    responses.push(JSON.stringify((await api(`/v1/ai/providers/${created.id}`, { method: 'PATCH', token: owner.accessToken, body: { name: 'renamed' } })).body))
    expect((await fakeStats(down.id)).authorizations).toContain(`Bearer ${secret}`)
    expect(logged.length).toBeGreaterThan(0)
    for (const text of [...responses, ...logged]) expect(text).not.toContain(secret)
  })

  it('records every call and sums usage per day, provider and model, for the caller\'s tenant only', async () => {
    const owner = await signUp()
    const other = await signUp()
    const down = await fakeProvider([{ kind: 'error500' }])
    const good = await fakeProvider([{ kind: 'ok' }])
    await addProvider(owner, { baseUrl: down.baseUrl, name: 'primary' })
    await addProvider(owner, { baseUrl: good.baseUrl, name: 'secondary', inputPricePerMTok: 1_000, outputPricePerMTok: 2_000 })
    await chat(owner, { messages: hello })
    await streamText(owner)
    type Row = { provider: string; calls: number; failures: number; tokensIn: number; tokensOut: number; costUsd: number }
    const rows = await eventually(async () => {
      const { body } = await api<{ rows: Row[] }>('/v1/ai/usage', { token: owner.accessToken })
      return body.rows.reduce((n, r) => n + r.calls, 0) >= 4 ? body.rows : undefined
    })
    const secondary = rows.find((r) => r.provider === 'secondary')
    expect(secondary).toMatchObject({ calls: 2, failures: 0, tokensIn: 24, tokensOut: 6 })
    expect(secondary?.costUsd).toBeCloseTo((24 * 1_000 + 6 * 2_000) / 1_000_000)
    expect(rows.find((r) => r.provider === 'primary')).toMatchObject({ calls: 2, failures: 2 })
    const theirs = await api<{ rows: Row[] }>('/v1/ai/usage', { token: other.accessToken })
    expect(theirs.body.rows).toEqual([])
  })
})
