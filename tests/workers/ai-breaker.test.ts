// The breaker in the call path: it opens after the threshold and later calls skip the bad provider at once, a 429's
// Retry-After opens it until then, the alarm's half-open probe reopens it with a longer cooldown or closes it, only one
// probe goes at a time, and 100 concurrent calls against a hanging primary end on the secondary.
// Thresholds come from AI_BREAKER_CONFIG in vitest.config.ts: 3 consecutive failures, 1 s first cooldown, no jitter.
import { describe, expect, it } from 'vitest'
import { api, signUp, type Account } from './helpers'
import { addProvider, eventually, fakeAiUrl, fakeProvider, fakeStats } from './ai-helpers'

interface Health {
  state: string
  openUntil: string | null
  lastError: { message: string } | null
  history: { state: string; reason: string; at: string }[]
}

const chat = (owner: Account) => api('/v1/ai/chat/completions', { token: owner.accessToken, body: { messages: [{ role: 'user', content: 'hi' }] } })
const script = (id: string, steps: unknown[]) => fetch(`${fakeAiUrl}/ctl/${id}`, { method: 'POST', body: JSON.stringify({ steps }) })

async function healthOf(owner: Account, id: string): Promise<Health> {
  const { body } = await api<{ items: { id: string; health: Health }[] }>('/v1/ai/providers', { token: owner.accessToken })
  const found = body.items.find((p) => p.id === id)
  if (!found) throw new Error('provider missing')
  return found.health
}

describe('the breaker in the call path', () => {
  it('opens after 3 failures, skips the provider at once, probes it after the cooldown and recovers', async () => {
    const owner = await signUp()
    const bad = await fakeProvider([{ kind: 'error500' }])
    const good = await fakeProvider([{ kind: 'ok' }])
    const primary = await addProvider(owner, { baseUrl: bad.baseUrl, name: 'primary' })
    await addProvider(owner, { baseUrl: good.baseUrl, name: 'secondary' })
    for (let i = 0; i < 3; i += 1) expect((await chat(owner)).res.headers.get('x-vitrina-fallback-depth')).toBe('1')
    const health = await healthOf(owner, primary.id)
    expect(health.state).toBe('open')
    expect(health.lastError?.message).toContain('500')
    expect(health.history[0]).toMatchObject({ state: 'open', reason: '3 consecutive failures' })

    const skipped = await chat(owner)
    expect(skipped.res.headers.get('x-vitrina-provider')).toBe('secondary')
    expect((await fakeStats(bad.id)).hits).toBe(3)

    const reopened = await eventually(async () => {
      const h = await healthOf(owner, primary.id)
      return h.history[0]?.reason === 'probe failed' ? h : undefined
    })
    const cooldown = Date.parse(reopened.openUntil ?? '') - Date.parse(reopened.history[0]?.at ?? '')
    expect(cooldown).toBeGreaterThanOrEqual(1_900)
    expect((await fakeStats(bad.id)).hits).toBe(4)

    await script(bad.id, [{ kind: 'ok' }])
    const recovered = await eventually(async () => {
      const h = await healthOf(owner, primary.id)
      return h.state === 'closed' ? h : undefined
    })
    expect(recovered.history[0]).toMatchObject({ state: 'closed', reason: 'probe succeeded' })
    expect((await chat(owner)).res.headers.get('x-vitrina-provider')).toBe('primary')
  })

  it('opens on 429 until Retry-After, and lets a single half-open probe through', async () => {
    const owner = await signUp()
    const limited = await fakeProvider([{ kind: 'rate429', retryAfterSeconds: 2, times: 1 }, { kind: 'hang' }])
    const good = await fakeProvider([{ kind: 'ok' }])
    const primary = await addProvider(owner, { baseUrl: limited.baseUrl, firstTokenTimeoutMs: 15_000 })
    await addProvider(owner, { baseUrl: good.baseUrl })
    const started = Date.now()
    expect((await chat(owner)).res.status).toBe(200)
    const health = await healthOf(owner, primary.id)
    expect(health.state).toBe('open')
    expect(Date.parse(health.openUntil ?? '') - started).toBeGreaterThanOrEqual(1_800)
    expect(health.history[0]?.reason).toContain('Retry-After')

    await eventually(async () => ((await fakeStats(limited.id)).hits === 2 ? true : undefined), 6_000)
    const during = await Promise.all(Array.from({ length: 5 }, () => chat(owner)))
    expect(during.every((r) => r.res.status === 200)).toBe(true)
    expect((await fakeStats(limited.id)).hits).toBe(2)
    expect((await healthOf(owner, primary.id)).state).toBe('half_open')
  })

  it('sends 100 concurrent calls to the secondary while the primary hangs; once open, calls skip it at once', async () => {
    const owner = await signUp()
    const hanging = await fakeProvider([{ kind: 'hang' }])
    const good = await fakeProvider([{ kind: 'ok' }])
    const primary = await addProvider(owner, { baseUrl: hanging.baseUrl, firstTokenTimeoutMs: 400 })
    await addProvider(owner, { baseUrl: good.baseUrl, name: 'secondary', firstTokenTimeoutMs: 10_000 })
    const calls = Array.from({ length: 100 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 15))
      const begunAt = Date.now()
      const { res, body } = await chat(owner)
      return { body: res.status === 200 ? null : body, i, status: res.status, provider: res.headers.get('x-vitrina-provider'), depth: res.headers.get('x-vitrina-fallback-depth'), begunAt }
    })
    const results = await Promise.all(calls)
    expect(results.filter((r) => r.status !== 200 || r.provider !== 'secondary')).toEqual([])

    // Judged against the breaker's own record rather than the clock, so a slow machine changes the counts, not the verdict:
    // a call begun after the breaker opened reaches the primary only as the one probe of a half-open period.
    const { state, history } = await healthOf(owner, primary.id)
    expect(['open', 'half_open']).toContain(state)
    const opening = history.findLast((h) => h.reason === '3 consecutive failures')
    if (!opening) throw new Error(`the breaker never opened: ${JSON.stringify(history)}`)
    const openedAt = Date.parse(opening.at)
    const probes = history.filter((h) => h.reason === 'cooldown over').length
    const afterOpening = results.filter((r) => r.begunAt > openedAt + 50)
    expect(afterOpening.length).toBeGreaterThanOrEqual(10)
    expect(afterOpening.filter((r) => r.depth !== '0').length).toBeLessThanOrEqual(probes)
    const stats = await fakeStats(hanging.id)
    expect(stats.hits).toBeLessThanOrEqual(results.length - afterOpening.length + probes)
    await eventually(async () => ((await fakeStats(hanging.id)).aborted >= stats.hits ? true : undefined))
  }, 60_000)
})
