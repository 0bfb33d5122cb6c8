// Webhook delivery: Standard Webhooks signatures checked by an independent implementation, the retry schedule driven
// by the object's alarm, a schedule surviving restarts, each event delivered once per endpoint under a burst, the
// events nobody handed over and events dated before delivered ones, 410 and five failing days turning an endpoint off,
// and the log actions (transactions held open: event-cursor.test.ts).
import { env, runInDurableObject } from 'cloudflare:test'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { createDatabase } from '../../workers/db/client'
import { events } from '../../workers/db/schema/events'
import { dispatchEvents } from '../../workers/webhooks/endpoints'
import { RETRY_DELAYS_MS } from '../../workers/webhooks/signing'
import { api, signUp, type Account } from './helpers'
import { createEndpoint, endpointObject, fastForward, queue, received, receivedAtLeast, receiver, script, settle } from './webhook-helpers'

type Message = { id: string; eventId: string; eventType: string; status: string; attempts: number }
type Attempt = { succeeded: boolean; responseStatus: number | null; latencyMs: number; response: string }
type Page = { data: Message[]; nextCursor: string | null }

async function insertEvents(tenantId: string, count: number, type = 'order.created', createdAt?: Date): Promise<string[]> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    const rows = await client.db
      .insert(events)
      .values(Array.from({ length: count }, (_, i) => ({ tenantId, type: type as 'order.created', subjectType: 'order', subjectId: `o-${i}`, data: { number: i }, ...(createdAt ? { createdAt } : {}) })))
      .returning({ id: events.id })
    return rows.map((r) => r.id)
  } finally {
    await client.close()
  }
}

async function messages(owner: Account, endpointId: string, query = ''): Promise<Message[]> {
  const all: Message[] = []
  let cursor: string | null = null
  do {
    const { body }: { body: Page } = await api<Page>(`/v1/webhooks/endpoints/${endpointId}/messages?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`, { token: owner.accessToken })
    all.push(...body.data)
    cursor = body.nextCursor
  } while (cursor)
  return all
}

describe('webhook delivery', () => {
  it('retries a receiver failing 3 times on schedule; the 4 attempts carry one webhook-id and verify with standardwebhooks', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [500, 503, 429, 204])
    const endpoint = await createEndpoint(owner, { url: target.url, eventTypes: ['customer.created'] })
    const customer = await api<{ id: string }>('/v1/customers', { token: owner.accessToken, body: { email: 'ana@example.com', firstName: 'Ana' } })
    expect(customer.res.status).toBe(201)
    await receivedAtLeast(target.id, 1)
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [row] = await queue(endpoint.id)
      expect(row).toMatchObject({ status: 'pending', attempts: attempt })
      expect(Math.abs((row?.next_at ?? 0) - Date.now() - (RETRY_DELAYS_MS[attempt - 1] ?? 0))).toBeLessThan(3_000)
      await fastForward(endpoint.id)
    }
    const got = await received(target.id)
    expect(got.map((r) => r.status)).toEqual([500, 503, 429, 204])
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1)
    for (const delivery of got) {
      const payload = new Webhook(endpoint.secret).verify(delivery.body, delivery.headers)
      expect(payload).toMatchObject({ type: 'customer.created', data: { id: customer.body.id, email: 'ana@example.com' } })
      expect(Date.parse((payload as { timestamp: string }).timestamp)).not.toBeNaN()
    }
    expect((await queue(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: 4 })

    const [message] = await messages(owner, endpoint.id)
    expect(message).toMatchObject({ eventId: got[0]?.headers['webhook-id'], eventType: 'customer.created', status: 'delivered', attempts: 4 })
    const detail = await api<Message & { attemptLog: Attempt[] }>(`/v1/webhooks/endpoints/${endpoint.id}/messages/${message?.id}`, { token: owner.accessToken })
    expect(detail.body.attemptLog.map((a) => [a.succeeded, a.responseStatus])).toEqual([
      [false, 500],
      [false, 503],
      [false, 429],
      [true, 204],
    ])
    expect(detail.body.attemptLog.map((a) => a.response.length)).toEqual([1024, 1024, 1024, 0])
    expect(detail.body.attemptLog.every((a) => a.latencyMs >= 0)).toBe(true)
  })

  it('gives up after the last retry (5 s … 10 h), and keeps the schedule across a restart', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [500])
    const endpoint = await createEndpoint(owner, { url: target.url })
    await api(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
    await settle(endpoint.id)
    const stub = endpointObject(endpoint.id)
    const before = await queue(endpoint.id)
    expect(before[0]).toMatchObject({ status: 'pending', attempts: 1 })
    await expect(runInDurableObject(stub, (_instance, state) => state.abort('restart'))).rejects.toThrow()
    expect(await queue(endpoint.id)).toEqual(before)
    const alarm = await runInDurableObject(endpointObject(endpoint.id), (_instance, state) => state.storage.getAlarm())
    expect(alarm).not.toBeNull()
    expect(alarm).toBeLessThanOrEqual(before[0]?.next_at ?? 0)

    for (let attempt = 2; attempt <= RETRY_DELAYS_MS.length + 1; attempt += 1) await fastForward(endpoint.id)
    expect((await queue(endpoint.id))[0]).toMatchObject({ status: 'failed', attempts: 8 })
    await fastForward(endpoint.id)
    const got = await received(target.id)
    expect(got).toHaveLength(8)
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1)
    expect((await messages(owner, endpoint.id, '&status=failed')).map((m) => m.attempts)).toEqual([8])
  })

  it('delivers a burst of 1,000 events to 3 endpoints once each, however often the objects are woken', async () => {
    const owner = await signUp()
    const targets = [receiver(), receiver(), receiver()]
    for (const t of targets) await script(t.id, [200])
    const endpoints = await Promise.all(targets.map((t) => createEndpoint(owner, { url: t.url, eventTypes: ['order.created', 'order.paid'] })))
    const other = receiver()
    const unrelated = await createEndpoint(owner, { url: other.url, eventTypes: ['customer.created'] })
    await Promise.all(endpoints.map((e) => settle(e.id)))
    const ids = (await Promise.all([insertEvents(owner.tenant.id, 500), insertEvents(owner.tenant.id, 500, 'order.paid')])).flat()
    await Promise.all([1, 2, 3].map(() => dispatchEvents(env, owner.tenant.id, ['order.created'])))
    for (const e of endpoints) await settle(e.id, 90_000)
    for (const t of targets) {
      const got = await receivedAtLeast(t.id, 1000)
      const webhookIds = got.map((r) => r.headers['webhook-id'])
      expect(webhookIds).toHaveLength(1000)
      expect(new Set(webhookIds)).toEqual(new Set(ids))
    }
    for (const e of endpoints) {
      const log = await messages(owner, e.id)
      expect(log).toHaveLength(1000)
      expect(log.every((m) => m.status === 'delivered' && m.attempts === 1)).toBe(true)
      expect(await messages(owner, e.id, '&eventType=order.paid')).toHaveLength(500)
    }
    await settle(unrelated.id)
    expect(await received(other.id)).toEqual([])
  }, 180_000)

  it('lets a slow endpoint hold up only itself', async () => {
    const owner = await signUp()
    const slow = receiver()
    const fast = receiver()
    await script(slow.id, [200], 4_000)
    await script(fast.id, [200])
    const endpoints = [await createEndpoint(owner, { url: slow.url }), await createEndpoint(owner, { url: fast.url })]
    await Promise.all(endpoints.map((e) => settle(e.id)))
    const started = Date.now()
    const [id] = await insertEvents(owner.tenant.id, 1)
    await dispatchEvents(env, owner.tenant.id, ['order.created'])
    const [got] = await receivedAtLeast(fast.id, 1, 3_000)
    expect(got?.headers['webhook-id']).toBe(id)
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(await received(slow.id)).toHaveLength(1)
    for (const e of endpoints) await settle(e.id)
  })

  it('finds events nobody handed over, including ones dated before events already delivered', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(owner, { url: target.url })
    await settle(endpoint.id)
    await scheduler.wait(3_000)
    const freshAt = new Date()
    const [fresh] = await insertEvents(owner.tenant.id, 1, 'order.created', freshAt)
    await settle(endpoint.id)
    expect((await received(target.id)).map((r) => r.headers['webhook-id'])).toEqual([fresh])

    // Dated seconds behind the delivered one (as a transaction that started first and committed later is): the cursor
    // follows transactions, not dates, so the next pass takes it without any look-back or sweep.
    const [late] = await insertEvents(owner.tenant.id, 1, 'order.paid', new Date(freshAt.getTime() - 2_500))
    await settle(endpoint.id)
    expect((await received(target.id)).map((r) => r.headers['webhook-id'])).toEqual([fresh, late])
    await runInDurableObject(endpointObject(endpoint.id), (_instance, state) => state.storage.sql.exec("update meta set value = '0' where key = 'last_sweep'"))
    await settle(endpoint.id)
    expect(await received(target.id)).toHaveLength(2)
  })

  it('turns an endpoint off when it answers 410, and after five days of failures', async () => {
    const owner = await signUp()
    const gone = receiver()
    await script(gone.id, [410])
    const endpoint = await createEndpoint(owner, { url: gone.url })
    await api(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
    await settle(endpoint.id)
    expect((await api(`/v1/webhooks/endpoints/${endpoint.id}`, { token: owner.accessToken })).body).toMatchObject({ enabled: false, disabledReason: 'gone' })
    const refused = await api<{ error: { code: string } }>(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
    expect({ status: refused.res.status, code: refused.body.error.code }).toEqual({ status: 409, code: 'conflict' })
    await insertEvents(owner.tenant.id, 2)
    await settle(endpoint.id)
    expect(await received(gone.id)).toHaveLength(1)
    await script(gone.id, [200])
    const resumed = await api(`/v1/webhooks/endpoints/${endpoint.id}`, { token: owner.accessToken, method: 'PATCH', body: { enabled: true } })
    expect(resumed.body).toMatchObject({ enabled: true, disabledReason: null })
    const [after] = await insertEvents(owner.tenant.id, 1)
    await settle(endpoint.id)
    expect((await received(gone.id)).map((r) => r.headers['webhook-id'])).toEqual([after])

    const failing = receiver()
    await script(failing.id, [500])
    const flaky = await createEndpoint(owner, { url: failing.url })
    await api(`/v1/webhooks/endpoints/${flaky.id}/test`, { token: owner.accessToken, method: 'POST' })
    await settle(flaky.id)
    await fastForward(flaky.id)
    expect((await api(`/v1/webhooks/endpoints/${flaky.id}`, { token: owner.accessToken })).body).toMatchObject({ enabled: true })
    await runInDurableObject(endpointObject(flaky.id), (_instance, state) =>
      state.storage.sql.exec("update meta set value = ? where key = 'failing_since'", String(Date.now() - 5 * 86_400_000 - 1_000)),
    )
    await fastForward(flaky.id)
    expect((await api(`/v1/webhooks/endpoints/${flaky.id}`, { token: owner.accessToken })).body).toMatchObject({ enabled: false, disabledReason: 'failing' })
  })

  it('retries one message, sends a test event to one endpoint, and replays everything since a time', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(owner, { url: target.url })
    const bystander = receiver()
    const other = await createEndpoint(owner, { url: bystander.url })
    const since = new Date(Date.now() - 1_000).toISOString()
    const ids = await insertEvents(owner.tenant.id, 3)
    await settle(endpoint.id)
    await settle(other.id)
    expect(await received(target.id)).toHaveLength(3)

    const [first] = await messages(owner, endpoint.id)
    const retried = await api(`/v1/webhooks/endpoints/${endpoint.id}/messages/${first?.id}/retry`, { token: owner.accessToken, method: 'POST' })
    expect(retried.res.status).toBe(202)
    await settle(endpoint.id)
    expect((await received(target.id)).at(-1)?.headers['webhook-id']).toBe(first?.eventId)
    expect((await api(`/v1/webhooks/endpoints/${endpoint.id}/messages/${crypto.randomUUID()}/retry`, { token: owner.accessToken, method: 'POST' })).res.status).toBe(404)

    const test = await api<{ eventId: string }>(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
    await settle(endpoint.id)
    expect((await received(target.id)).at(-1)?.headers['webhook-id']).toBe(test.body.eventId)
    expect((await received(bystander.id)).map((r) => r.headers['webhook-id']).sort()).toEqual([...ids].sort())

    const replay = await api<{ queued: number }>(`/v1/webhooks/endpoints/${endpoint.id}/replay`, { token: owner.accessToken, body: { since } })
    expect(replay.body).toEqual({ queued: 3 })
    await settle(endpoint.id)
    const got = await received(target.id)
    expect(got).toHaveLength(3 + 1 + 1 + 3)
    expect(got.slice(-3).map((r) => r.headers['webhook-id']).sort()).toEqual([...ids].sort())
  })
})
