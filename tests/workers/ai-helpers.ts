// Helpers for the AI gateway tests: scripting the fake providers (tests/helpers/fake-ai.ts) and creating providers.
import { env } from 'cloudflare:test'
import type { FakeStep } from '../helpers/fake-ai'
import { api, unique, type Account } from './helpers'

/** Where the global setup's fake providers listen. */
export const fakeAiUrl = (env as Env & { FAKE_AI_URL: string }).FAKE_AI_URL

/** A fresh script id, and the baseUrl that makes a provider follow it. */
export function fakeProvider(steps: FakeStep[], protocol: 'p' | 'hf' = 'p'): Promise<{ id: string; baseUrl: string }> {
  const id = unique('fake').replace(/[^\w-]/g, '')
  return fetch(`${fakeAiUrl}/ctl/${id}`, { method: 'POST', body: JSON.stringify({ steps }) }).then(() => ({ id, baseUrl: `${fakeAiUrl}/${protocol}/${id}/v1` }))
}

/** What the fake saw for one script. */
export interface FakeStats {
  hits: number
  aborted: number
  authorizations: string[]
  bodies: Record<string, unknown>[]
}

/** The fake's counters for `id`. */
export async function fakeStats(id: string): Promise<FakeStats> {
  return (await (await fetch(`${fakeAiUrl}/ctl/${id}`)).json()) as FakeStats
}

/** Adds a provider to the owner's tenant through the API. */
export async function addProvider(owner: Account, fields: Record<string, unknown>): Promise<{ id: string; [k: string]: unknown }> {
  const { res, body } = await api<{ id: string }>('/v1/ai/providers', {
    token: owner.accessToken,
    body: { kind: 'openai-compatible', name: unique('prov'), model: 'fake-model', apiKey: `sk-test-${unique('k')}`, firstTokenTimeoutMs: 1_000, ...fields },
  })
  if (res.status !== 201) throw new Error(`provider creation failed: ${res.status} ${JSON.stringify(body)}`)
  return body
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}
