// Webhook endpoints over HTTP: admin CRUD with validation, the address guard at creation and again at delivery when
// DNS changes, secret rotation (both secrets sign for 24 h), and tenant isolation of endpoints and their logs.
import { env, runInDurableObject } from 'cloudflare:test'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it, vi } from 'vitest'
import { DOMAIN_EVENT_TYPES } from '../../workers/commerce/events'
import { installFakeInternet } from '../helpers/fake-network'
import { addMember, api, createKey, signUp } from './helpers'
import { createEndpoint, endpointObject, fastForward, queue, receivedAtLeast, receiver, script } from './webhook-helpers'

type ErrorBody = { error: { code: string; details?: { path: string; code: string }[] } }
type Page = { data: { id: string }[]; nextCursor: string | null }

describe('webhook endpoints', () => {
  it('creates with a secret shown once, lists, changes and deletes; only admins', async () => {
    const owner = await signUp()
    const target = receiver()
    const created = await createEndpoint(owner, { url: target.url, description: 'Orders to the ERP', eventTypes: ['order.created', 'order.paid'] })
    expect(created).toMatchObject({ url: target.url, description: 'Orders to the ERP', eventTypes: ['order.created', 'order.paid'], enabled: true, disabledReason: null })
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(atob(created.secret.slice(6)).length).toBeGreaterThanOrEqual(24)
    const second = await createEndpoint(owner, { url: receiver().url })

    const shown = await api<Record<string, unknown>>(`/v1/webhooks/endpoints/${created.id}`, { token: owner.accessToken })
    expect(shown.res.status).toBe(200)
    expect(shown.body).not.toHaveProperty('secret')
    expect(JSON.stringify(shown.body)).not.toContain(created.secret)
    const page = await api<Page>('/v1/webhooks/endpoints?limit=1', { token: owner.accessToken })
    expect(page.body.data.map((e) => e.id)).toEqual([second.id])
    const rest = await api<Page>(`/v1/webhooks/endpoints?limit=1&cursor=${page.body.nextCursor}`, { token: owner.accessToken })
    expect(rest.body.data.map((e) => e.id)).toEqual([created.id])

    const changed = await api(`/v1/webhooks/endpoints/${created.id}`, { token: owner.accessToken, method: 'PATCH', body: { eventTypes: ['*'], enabled: false, description: null } })
    expect(changed.body).toMatchObject({ eventTypes: ['*'], enabled: false, description: null })

    const staff = await addMember(owner, 'member')
    expect((await api('/v1/webhooks/endpoints', { token: staff.accessToken })).res.status).toBe(403)
    const readKey = await createKey(owner, ['write'])
    expect((await api('/v1/webhooks/endpoints', { apiKey: readKey.key })).res.status).toBe(403)
    const adminKey = await createKey(owner, ['admin'])
    expect((await api('/v1/webhooks/endpoints', { apiKey: adminKey.key, body: { url: receiver().url, eventTypes: ['*'] } })).res.status).toBe(201)

    expect((await api(`/v1/webhooks/endpoints/${created.id}`, { token: owner.accessToken, method: 'DELETE' })).res.status).toBe(204)
    expect((await api(`/v1/webhooks/endpoints/${created.id}`, { token: owner.accessToken })).res.status).toBe(404)
    await vi.waitFor(async () => expect(await runInDurableObject(endpointObject(created.id), (_instance, state) => state.storage.getAlarm())).toBeNull())
    expect(await queue(created.id)).toEqual([])
  })

  it('documents the event catalogue in the OpenAPI description of the endpoints route', async () => {
    const doc = await api<{ paths: Record<string, { post: { description: string } }> }>('/openapi.json')
    const description = doc.body.paths['/v1/webhooks/endpoints']?.post.description ?? ''
    for (const type of [...DOMAIN_EVENT_TYPES, 'webhook.test']) expect(description).toContain(`\`${type}\``)
    expect(description).toContain('webhook-signature')
  })

  it('answers bad input with 400 naming the field', async () => {
    const owner = await signUp()
    const url = receiver().url
    const bad: [Record<string, unknown>, string][] = [
      [{ eventTypes: ['*'] }, 'url'],
      [{ url: 'not a url', eventTypes: ['*'] }, 'url'],
      [{ url, eventTypes: [] }, 'eventTypes'],
      [{ url, eventTypes: ['order.shipped'] }, 'eventTypes.0'],
      [{ url, eventTypes: ['*', 'order.paid'] }, 'eventTypes'],
      [{ url, eventTypes: ['order.paid', 'order.paid'] }, 'eventTypes'],
      [{ url, eventTypes: 'order.paid' }, 'eventTypes'],
      [{ url, eventTypes: ['*'], enabled: 'yes' }, 'enabled'],
      [{ url, eventTypes: ['*'], description: 'x'.repeat(501) }, 'description'],
      [{ url: 'ftp://example.com/x', eventTypes: ['*'] }, 'url'],
    ]
    for (const [body, path] of bad) {
      const { res, body: error } = await api<ErrorBody>('/v1/webhooks/endpoints', { token: owner.accessToken, body })
      expect({ path, status: res.status, paths: error.error.details?.map((d) => d.path) }).toEqual({ path, status: 400, paths: [path] })
    }
    const endpoint = await createEndpoint(owner, { url })
    expect((await api(`/v1/webhooks/endpoints/nope`, { token: owner.accessToken })).res.status).toBe(400)
    expect((await api(`/v1/webhooks/endpoints/${endpoint.id}/replay`, { token: owner.accessToken, body: { since: 'yesterday' } })).res.status).toBe(400)
    const future = await api<ErrorBody>(`/v1/webhooks/endpoints/${endpoint.id}/replay`, { token: owner.accessToken, body: { since: new Date(Date.now() + 3_600_000).toISOString() } })
    expect({ status: future.res.status, path: future.body.error.details?.[0]?.path }).toEqual({ status: 400, path: 'since' })
    const old = await api(`/v1/webhooks/endpoints/${endpoint.id}/replay`, { token: owner.accessToken, body: { since: new Date(Date.now() - 31 * 86_400_000).toISOString() } })
    expect(old.res.status).toBe(400)
    expect((await api(`/v1/webhooks/endpoints/${endpoint.id}/messages?status=lost`, { token: owner.accessToken })).res.status).toBe(400)
    expect((await api<ErrorBody>(`/v1/webhooks/endpoints/${endpoint.id}/messages?cursor=zz`, { token: owner.accessToken })).body.error.code).toBe('invalid_cursor')
  })

  it('refuses private, metadata and non-https URLs at creation, even in development', async () => {
    const owner = await signUp()
    const internet = installFakeInternet(env.DNS_RESOLVER_URL, { dns: { 'intranet.shop.example': ['10.0.0.8'], 'rebind.shop.example': ['127.0.0.1', '192.168.1.1'] }, sites: {} })
    try {
      const refused: [string, string][] = [
        ['https://169.254.169.254/latest/meta-data', 'forbidden_address'],
        ['http://10.1.2.3/hook', 'forbidden_address'],
        ['https://[fd00::1]/hook', 'forbidden_address'],
        ['https://intranet.shop.example/hook', 'forbidden_address'],
        ['https://rebind.shop.example/hook', 'forbidden_address'],
        ['https://nowhere.shop.example/hook', 'dns_failure'],
        ['https://user:pass@example.com/hook', 'invalid_url'],
      ]
      for (const [url, code] of refused) {
        const { res, body } = await api<ErrorBody>('/v1/webhooks/endpoints', { token: owner.accessToken, body: { url, eventTypes: ['*'] } })
        expect({ url, status: res.status, detail: body.error.details?.[0] }).toMatchObject({ url, status: 400, detail: { path: 'url', code } })
      }
      const endpoint = await createEndpoint(owner, { url: receiver().url })
      const patched = await api<ErrorBody>(`/v1/webhooks/endpoints/${endpoint.id}`, { token: owner.accessToken, method: 'PATCH', body: { url: 'https://intranet.shop.example/x' } })
      expect({ status: patched.res.status, code: patched.body.error.details?.[0]?.code }).toEqual({ status: 400, code: 'forbidden_address' })
    } finally {
      internet.restore()
    }
  })

  it('checks the address again at every delivery, so a host whose DNS turns private gets nothing', async () => {
    const owner = await signUp()
    const hits: string[] = []
    const internet = installFakeInternet(env.DNS_RESOLVER_URL, {
      dns: { 'hooks.partner.example': ['93.184.216.34'] },
      sites: { 'https://hooks.partner.example/in': (request) => (hits.push(request.headers.get('webhook-id') ?? ''), new Response('ok')) },
    })
    try {
      const endpoint = await createEndpoint(owner, { url: 'https://hooks.partner.example/in' })
      const first = await api<{ eventId: string }>(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
      expect(first.res.status).toBe(202)
      await fastForward(endpoint.id)
      expect(hits).toContain(first.body.eventId)

      const dns = { 'hooks.partner.example': ['169.254.169.254'] }
      const rebound = installFakeInternet(env.DNS_RESOLVER_URL, { dns, sites: { 'https://hooks.partner.example/in': (request) => (hits.push(request.headers.get('webhook-id') ?? ''), new Response('ok')) } })
      try {
        const second = await api<{ eventId: string }>(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
        await fastForward(endpoint.id)
        expect(hits).not.toContain(second.body.eventId)
        const row = (await queue(endpoint.id)).find((m) => m.event_id === second.body.eventId)
        expect(row).toMatchObject({ status: 'pending', attempts: 1 })
        expect(rebound.seen.some((s) => s.url.startsWith('https://hooks.partner.example'))).toBe(false)
      } finally {
        rebound.restore()
      }
    } finally {
      internet.restore()
    }
  })

  it('rotates the secret: both the new and the previous one sign for 24 h', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(owner, { url: target.url })
    const rotated = await api<{ secret: string; previousSecretExpiresAt: string }>(`/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`, { token: owner.accessToken, method: 'POST' })
    expect(rotated.res.status).toBe(200)
    expect(rotated.body.secret).not.toBe(endpoint.secret)
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000)
    await api(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: owner.accessToken, method: 'POST' })
    await fastForward(endpoint.id)
    const [delivery] = await receivedAtLeast(target.id, 1)
    if (!delivery) throw new Error('no delivery')
    expect(delivery.headers['webhook-signature']?.split(' ')).toHaveLength(2)
    for (const secret of [rotated.body.secret, endpoint.secret]) expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toMatchObject({ type: 'webhook.test' })
    expect(() => new Webhook(`whsec_${btoa('x'.repeat(32))}`).verify(delivery.body, delivery.headers)).toThrow()
  })

  it("keeps tenants apart: another tenant's credentials get 404 on every webhook route and change nothing", async () => {
    const a = await signUp()
    const b = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(b, { url: target.url })
    await api(`/v1/webhooks/endpoints/${endpoint.id}/test`, { token: b.accessToken, method: 'POST' })
    await fastForward(endpoint.id)
    const messages = await api<Page>(`/v1/webhooks/endpoints/${endpoint.id}/messages`, { token: b.accessToken })
    const messageId = messages.body.data[0]?.id
    expect(messageId).toBeDefined()
    const base = `/v1/webhooks/endpoints/${endpoint.id}`
    const calls: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, { enabled: false }],
      ['DELETE', base],
      ['POST', `${base}/rotate-secret`],
      ['GET', `${base}/messages`],
      ['GET', `${base}/messages/${messageId}`],
      ['POST', `${base}/messages/${messageId}/retry`],
      ['POST', `${base}/test`],
      ['POST', `${base}/replay`, { since: new Date(Date.now() - 60_000).toISOString() }],
    ]
    for (const [method, path, body] of calls) expect({ method, path, status: (await api(path, { token: a.accessToken, method, body })).res.status }).toEqual({ method, path, status: 404 })
    const own = await createEndpoint(a, { url: receiver().url })
    expect((await api(`/v1/webhooks/endpoints/${own.id}/messages/${messageId}`, { token: a.accessToken })).res.status).toBe(404)
    expect((await api<Page>('/v1/webhooks/endpoints', { token: a.accessToken })).body.data.map((e) => e.id)).toEqual([own.id])
    expect((await api(base, { token: b.accessToken })).body).toMatchObject({ enabled: true })
    expect(await receivedAtLeast(target.id, 1)).toHaveLength(1)
  })
})
