// The edge Worker's contract: health, request ids, logs, the error shape for every failure class, and the OpenAPI document.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test'
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../workers/app'
import { createDatabase } from '../../workers/db/client'
import { startupTasks } from '../../workers/db/schema'
import { MAX_JSON_BODY_BYTES } from '../../workers/middleware/body-size'

const BASE = 'http://vitrina.test'

/** The real composition plus two probe routes, to drive every error class through the real middleware. */
function appWithProbes() {
  const app = createApp()
  const echo = createRoute({
    method: 'post',
    path: '/probe/echo',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ name: z.string().min(1), qty: z.number().int() }) } } } },
    responses: { 200: { description: 'echo' } },
  })
  app.openapi(echo, (c) => c.json(c.req.valid('json'), 200))
  app.get('/probe/crash', () => {
    throw new Error('secret internal detail')
  })
  // What drizzle throws when the server is at max_connections: its query error around node-postgres's DatabaseError.
  app.get('/probe/too-many-clients', () => {
    throw new Error('Failed query: select 1', { cause: Object.assign(new Error('sorry, too many clients already'), { code: '53300' }) })
  })
  return app
}

async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await appWithProbes().request(`${BASE}${path}`, init, env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const json = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'content-type': 'application/json', ...headers },
})

afterEach(() => vi.restoreAllMocks())

describe('health', () => {
  it('reports the database up and the CLIP service ready', async () => {
    const res = await SELF.fetch(`${BASE}/v1/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: 'ok',
      database: { ok: true, ms: expect.any(Number) },
      clip: { status: 'ready' },
      startup: { pending: [] },
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    })
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('reports an unreachable CLIP service as down and the service degraded', async () => {
    const ctx = createExecutionContext()
    const res = await createApp().request(`${BASE}/v1/health`, undefined, { ...env, CLIP_URL: 'http://127.0.0.1:9' }, ctx)
    await waitOnExecutionContext(ctx)
    expect(await res.json()).toMatchObject({ status: 'degraded', database: { ok: true }, clip: { status: 'down' } })
  })

  it('answers 503 starting while a start-up task runs, and 200 once it is done', async () => {
    const client = createDatabase({ url: env.DATABASE_URL })
    const name = `probe-seed-${crypto.randomUUID()}`
    try {
      await client.db.insert(startupTasks).values({ name, state: 'running' })
      const starting = await SELF.fetch(`${BASE}/v1/health`)
      expect(starting.status).toBe(503)
      expect(await starting.json()).toMatchObject({ status: 'starting', startup: { pending: [name] } })
      await client.db.update(startupTasks).set({ state: 'done' }).where(eq(startupTasks.name, name))
      const ready = await SELF.fetch(`${BASE}/v1/health`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toMatchObject({ status: 'ok', startup: { pending: [] } })
    } finally {
      await client.db.delete(startupTasks).where(eq(startupTasks.name, name))
      await client.close()
    }
  })

  it('echoes a well-formed client request id', async () => {
    const res = await SELF.fetch(`${BASE}/v1/health`, { headers: { 'x-request-id': 'shop-42.retry:1' } })
    expect(res.headers.get('x-request-id')).toBe('shop-42.retry:1')
    const bad = await SELF.fetch(`${BASE}/v1/health`, { headers: { 'x-request-id': 'has spaces <script>' } })
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('writes one JSON log line per request', async () => {
    const log = vi.spyOn(console, 'log')
    const res = await call('/v1/health')
    const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"msg":"request"'))
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'info',
      msg: 'request',
      requestId: res.headers.get('x-request-id'),
      method: 'GET',
      path: '/v1/health',
      status: 200,
      durationMs: expect.any(Number),
      tenant: null,
    })
  })
})

describe('errors', () => {
  it('answers an unknown path with 404 not_found in the error shape', async () => {
    const res = await SELF.fetch(`${BASE}/v1/nope`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String), requestId: res.headers.get('x-request-id') } })
  })

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await SELF.fetch(`${BASE}/v1/health`, { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
    expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed', details: { allowed: ['GET', 'HEAD'] } } })
  })

  it('answers malformed JSON with 400 invalid_request saying where the parser stopped', async () => {
    const res = await call('/probe/echo', json('{"name": "x",'))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringMatching(/json/i), details: [{ in: 'json', path: '', code: 'malformed_json', message: expect.stringMatching(/JSON/) }] },
    })
  })

  it('answers a schema violation with 400 and one issue per field', async () => {
    const res = await call('/probe/echo', json(JSON.stringify({ name: '', qty: 1.5 })))
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { in: string; path: string }[] } }
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.details.map((d) => `${d.in}:${d.path}`).sort()).toEqual(['json:name', 'json:qty'])
  })

  it('answers a body of the wrong type with 415', async () => {
    const res = await call('/probe/echo', { method: 'POST', body: 'name=x', headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(415)
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } })
  })

  it('answers an oversized body with 413 before reading it', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_JSON_BODY_BYTES), qty: 1 })
    const res = await call('/probe/echo', json(big))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', details: { maxBytes: MAX_JSON_BODY_BYTES } } })
  })

  it('accepts a valid body through the same stack', async () => {
    const res = await call('/probe/echo', json(JSON.stringify({ name: 'ok', qty: 2 })))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ name: 'ok', qty: 2 })
  })

  it('answers a crash with 500 internal, the request id and no stack or message', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const res = await call('/probe/crash')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal server error', requestId: res.headers.get('x-request-id') } })
    expect(text).not.toContain('secret internal detail')
    expect(text).not.toMatch(/at .*\.ts/)
  })

  it('answers a database at its connection limit with a retryable 503 database_busy and Retry-After', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const res = await call('/probe/too-many-clients')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toEqual({ error: { code: 'database_busy', message: expect.any(String), requestId: res.headers.get('x-request-id') } })
  })
})

describe('OpenAPI', () => {
  it('is OpenAPI 3.1 and lists every API route (the internal media bridge is not part of the API)', async () => {
    const res = await SELF.fetch(`${BASE}/openapi.json`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(doc.openapi).toBe('3.1.0')
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replaceAll(/\{(\w+)\}/g, ':$1')}`),
    )
    const served = createApp()
      .routes.filter((r) => r.method !== 'ALL' && !['/openapi.json', '/docs'].includes(r.path) && !r.path.startsWith('/internal/'))
      .map((r) => `${r.method} ${r.path}`)
    expect(served.length).toBeGreaterThan(0)
    expect(new Set(documented)).toEqual(new Set(served))
  })

  it('serves interactive docs that load the document', async () => {
    const res = await SELF.fetch(`${BASE}/docs`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('/docs-assets/swagger-ui-bundle.js')
    expect(html).toContain('/docs-assets/docs-init.js')
  })
})
