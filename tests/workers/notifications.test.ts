// Notifications from domain events: role defaults and saved preferences per type and channel, one row per (event, user,
// channel) however often the notifier runs, email through the local email API in the recipient's language, the list
// with unread count and keyset pages, marking read, the webhook endpoint turned off, and tenants kept apart.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { recordEvent, type DomainEventType } from '../../workers/commerce/events'
import { createDatabase } from '../../workers/db/client'
import { notifications } from '../../workers/db/schema/notifications'
import { notifierStub } from '../../workers/notifications/notifier'
import { dispatchEvents } from '../../workers/webhooks/endpoints'
import { addMember, api, signUp, type Account } from './helpers'
import { createEndpoint, endpointObject, fastForward, received, receiver, script, settle } from './webhook-helpers'

type Notification = { id: string; type: string; title: string; body: string; locale: string; readAt: string | null; data: Record<string, unknown> }
type Page = { data: Notification[]; nextCursor: string | null; unreadCount: number }
type Preferences = { data: { type: string; inApp: boolean; email: boolean; isDefault: boolean }[]; emailConfigured: boolean }

async function emit(tenantId: string, type: DomainEventType, data: Record<string, unknown>): Promise<string> {
  const client = createDatabase({ url: env.DATABASE_URL })
  const id = crypto.randomUUID()
  try {
    await client.db.transaction((tx) => recordEvent(tx, { tenantId, type, subjectType: 'test', subjectId: id, data }))
  } finally {
    await client.close()
  }
  await dispatchEvents(env, tenantId, [type])
  return id
}

/** Runs the tenant's notifier until it has nothing to do. */
async function runNotifier(tenantId: string): Promise<void> {
  const stub = notifierStub(env, tenantId)
  await stub.poke(tenantId)
  await vi.waitFor(
    async () => {
      if (await runInDurableObject(stub, (instance) => (instance as unknown as { running: boolean }).running)) throw new Error('a run is under way')
      await runDurableObjectAlarm(stub)
    },
    { timeout: 10_000, interval: 50 },
  )
}

const list = (account: Account, query = '') => api<Page>(`/v1/notifications${query}`, { token: account.accessToken })

/** Notification emails (not account emails) the local email API got for `address`. */
async function emailsTo(address: string) {
  const accountSubjects = ['Confirm your email for Vitrina', 'You are invited to a shop on Vitrina']
  return (await received('email'))
    .filter((r) => {
      const message = JSON.parse(r.body) as { to: string[]; subject: string }
      return message.to.includes(address) && !accountSubjects.includes(message.subject)
    }).map((r) => ({ auth: r.headers.authorization, ...(JSON.parse(r.body) as { from: string; subject: string; text: string }) }))
}

async function rowsOf(tenantId: string, userId: string) {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    return await client.db.select().from(notifications).where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId)))
  } finally {
    await client.close()
  }
}

describe('notifications', () => {
  it('gives an owner stock.out in the app and by email, once per channel however often the notifier runs', async () => {
    const owner = await signUp()
    await emit(owner.tenant.id, 'stock.out', { version: 1, sku: 'MUG', location: 'main', onHand: 0, reserved: 0, available: 0 })
    await emit(owner.tenant.id, 'product.created', { version: 1, id: crypto.randomUUID(), name: 'Mug' })
    await runNotifier(owner.tenant.id)
    await runInDurableObject(notifierStub(env, owner.tenant.id), (_instance, state) => state.storage.sql.exec("update meta set value = '0' where key = 'last_sweep'"))
    await runNotifier(owner.tenant.id)

    const { body } = await list(owner)
    expect(body.unreadCount).toBe(1)
    expect(body.data).toEqual([expect.objectContaining({ type: 'stock.out', title: 'Agotado: MUG', locale: 'es', readAt: null })])
    const rows = await rowsOf(owner.tenant.id, owner.user.id)
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'in_app'])
    expect(rows.find((r) => r.channel === 'email')?.emailStatus).toBe('sent')
    expect(await emailsTo(owner.email)).toEqual([
      { auth: 'Bearer test-email-key', from: 'Vitrina <notify@vitrina.test>', to: [owner.email], subject: 'Agotado: MUG', text: expect.stringContaining('MUG se agotó en main.') },
    ])
  })

  it('writes email in the recipient’s language, and follows saved preferences over the role defaults', async () => {
    const owner = await signUp()
    expect((await api('/v1/auth/me', { token: owner.accessToken, method: 'PATCH', body: { locale: 'en' } })).res.status).toBe(200)
    const member = await addMember(owner, 'member')
    const defaults = await api<Preferences>('/v1/notifications/preferences', { token: owner.accessToken })
    expect(defaults.body.emailConfigured).toBe(true)
    expect(defaults.body.data.find((p) => p.type === 'payment.failed')).toEqual({ type: 'payment.failed', inApp: true, email: true, isDefault: true })
    expect(defaults.body.data.find((p) => p.type === 'stock.low')).toEqual({ type: 'stock.low', inApp: false, email: false, isDefault: true })
    const saved = await api<Preferences>('/v1/notifications/preferences', {
      token: owner.accessToken,
      method: 'PUT',
      body: { preferences: [{ type: 'stock.low', inApp: true, email: true }, { type: 'stock.out', inApp: true, email: false }] },
    })
    expect(saved.res.status).toBe(200)
    expect(saved.body.data.find((p) => p.type === 'stock.out')).toEqual({ type: 'stock.out', inApp: true, email: false, isDefault: false })
    const bad = await api('/v1/notifications/preferences', { token: owner.accessToken, method: 'PUT', body: { preferences: [{ type: 'nope', inApp: true, email: true }] } })
    expect(bad.res.status).toBe(400)

    await emit(owner.tenant.id, 'stock.low', { version: 1, sku: 'CUP', location: 'main', available: 2, threshold: 5 })
    await emit(owner.tenant.id, 'stock.out', { version: 1, sku: 'CUP', location: 'main', available: 0 })
    await runNotifier(owner.tenant.id)
    const { body } = await list(owner)
    expect(body.data.map((n) => [n.type, n.title])).toEqual([
      ['stock.out', 'Out of stock: CUP'],
      ['stock.low', 'Low stock: CUP'],
    ])
    expect((await emailsTo(owner.email)).map((e) => [e.subject, e.text.split('\n')[0]])).toEqual([['Low stock: CUP', '2 units of CUP left at main (threshold 5).']])
    expect((await list(member)).body).toMatchObject({ data: [], unreadCount: 0 })
  })

  it('pages newest first and marks read by id or all, each person’s own only', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    for (let i = 0; i < 3; i += 1) await emit(owner.tenant.id, 'payment.failed', { number: 1000 + i })
    await runNotifier(owner.tenant.id)
    const first = await list(owner, '?limit=2')
    expect(first.body.data.map((n) => n.title)).toEqual(['Pago fallido', 'Pago fallido'])
    expect(first.body.unreadCount).toBe(3)
    const second = await list(owner, `?limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.data).toHaveLength(1)
    expect(second.body.nextCursor).toBeNull()
    expect((await list(owner, '?cursor=bogus')).res.status).toBe(400)

    const read = await api<{ updated: number; unreadCount: number }>('/v1/notifications/read', { token: owner.accessToken, body: { ids: [first.body.data[0]?.id] } })
    expect(read.body).toEqual({ updated: 1, unreadCount: 2 })
    expect((await list(owner, '?unread=true')).body.data).toHaveLength(2)
    expect((await api('/v1/notifications/read', { token: admin.accessToken, body: { all: true } })).body).toEqual({ updated: 0, unreadCount: 0 })
    expect((await api('/v1/notifications/read', { token: owner.accessToken, body: { all: true } })).body).toEqual({ updated: 2, unreadCount: 0 })
    expect((await api('/v1/notifications/read', { token: owner.accessToken, body: { ids: [] } })).res.status).toBe(400)
    expect((await api('/v1/notifications/read', { token: owner.accessToken, body: { all: false } })).res.status).toBe(400)
  })

  it('keeps tenants apart: another tenant’s person neither sees nor marks these notifications', async () => {
    const a = await signUp()
    const b = await signUp()
    await emit(a.tenant.id, 'chat.handoff_requested', { sessionId: 's1' })
    await emit(b.tenant.id, 'stock.out', { sku: 'B-ONLY', location: 'main' })
    await runNotifier(a.tenant.id)
    await runNotifier(b.tenant.id)
    const mine = await list(a)
    expect(mine.body.data.map((n) => n.type)).toEqual(['chat.handoff_requested'])
    const theirs = await list(b)
    expect(theirs.body.data.map((n) => n.type)).toEqual(['stock.out'])
    const ids = mine.body.data.map((n) => n.id)
    expect((await api('/v1/notifications/read', { token: b.accessToken, body: { ids } })).body).toEqual({ updated: 0, unreadCount: 1 })
    expect((await list(a)).body.unreadCount).toBe(1)
    expect((await emailsTo(b.email)).map((e) => e.subject)).toEqual(['Agotado: B-ONLY'])
    await api('/v1/notifications/preferences', { token: b.accessToken, method: 'PUT', body: { preferences: [{ type: 'chat.handoff_requested', inApp: false, email: false }] } })
    expect((await api<Preferences>('/v1/notifications/preferences', { token: a.accessToken })).body.data.find((p) => p.type === 'chat.handoff_requested')).toMatchObject({ inApp: true, isDefault: true })
  })

  it('tells owners and admins when delivery turns a webhook endpoint off after 5 days of failures', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    const member = await addMember(owner, 'member')
    const failing = receiver()
    await script(failing.id, [500])
    const endpoint = await createEndpoint(owner, { url: failing.url })
    await api(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
    await settle(endpoint.id)
    await runInDurableObject(endpointObject(endpoint.id), (_instance, state) =>
      state.storage.sql.exec("insert into meta (key, value) values ('failing_since', ?) on conflict (key) do update set value = excluded.value", String(Date.now() - 5 * 86_400_000 - 1_000)),
    )
    await fastForward(endpoint.id)
    await runNotifier(owner.tenant.id)
    for (const person of [owner, admin]) {
      expect((await list(person)).body.data).toEqual([expect.objectContaining({ type: 'webhook.endpoint_disabled', data: expect.objectContaining({ endpointId: endpoint.id, url: failing.url }) })])
    }
    expect((await list(member)).body.data).toEqual([])
    expect((await emailsTo(admin.email)).map((e) => e.subject)).toEqual(['Webhook desactivado'])
  })

  it('answers an API key with 403', async () => {
    const owner = await signUp()
    const { res } = await api('/v1/notifications', { apiKey: (await api<{ key: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: 'k', scopes: ['admin'] } })).body.key })
    expect(res.status).toBe(403)
  })
})
