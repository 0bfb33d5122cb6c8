// Plan billing through Stripe (against the local fake): checkout → webhook → limits raised, payment failure and the
// grace period, downgrade at period end, duplicate and out-of-order events, signatures, owners only, 503 unconfigured.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../workers/app'
import { addMember, api, BASE, createKey, signUp, type Account } from './helpers'
import { control, deliver, eventsOf, query, requestsTo, secretOf, setPlanPrices, signed, stripeEvent } from './stripe-helpers'

type Billing = {
  plan: { id: string }
  subscription: { id: string; status: string; plan: string | null; cancelAtPeriodEnd: boolean; currentPeriodEnd: string | null } | null
  pastDue: boolean
  downgradeAt: string | null
  invoices: { id: string; status: string }[]
}
type Sub = { id: string; customer: string; status: string; cancel_at_period_end: boolean; items: { data: { current_period_end: number }[] } }
type Session = { id: string; customer: string; subscription: string | null; mode: string }

const billing = async (owner: Account) => {
  const { res, body } = await api<Billing>('/v1/billing', { token: owner.accessToken })
  expect(res.status, JSON.stringify(body)).toBe(200)
  return body
}
const usagePlan = async (owner: Account) => (await api<{ plan: { id: string; monthlySearches: number | null } }>('/v1/usage', { token: owner.accessToken })).body.plan
const now = () => Math.floor(Date.now() / 1000)

/** Buys `plan` end to end: checkout, the customer pays on the fake, the platform webhook. Answers the subscription. */
async function subscribe(owner: Account, plan = 'professional'): Promise<{ sub: Sub; session: Session }> {
  const started = await api<{ url: string }>('/v1/billing/checkout', { token: owner.accessToken, body: { plan, interval: 'month' } })
  expect(started.res.status, JSON.stringify(started.body)).toBe(200)
  const sessionId = started.body.url.split('/pay/')[1] ?? ''
  const paid = await control<{ session: Session; subscription: Sub }>(`sessions/${sessionId}/complete`)
  const completed = await deliver('platform', stripeEvent('checkout.session.completed', paid.session))
  expect(completed.status, JSON.stringify(completed.body)).toBe(200)
  expect(completed.body.outcome).toBe('processed')
  return { sub: paid.subscription, session: paid.session }
}

/** Changes the subscription on the fake (as Stripe would) and delivers `customer.subscription.<type>` with it. */
async function subscriptionEvent(sub: Sub, type: 'created' | 'updated' | 'deleted', change: Record<string, unknown>, created = now() + 1) {
  const changed = await control<{ subscription: Sub }>(`subscriptions/${sub.id}`, change)
  return deliver('platform', stripeEvent(`customer.subscription.${type}`, changed.subscription, { created }))
}

beforeAll(async () => {
  await setPlanPrices()
})

describe('plan billing', () => {
  it('upgrades end to end: checkout for a Stripe customer created once, the webhook, limits raised everywhere', async () => {
    const owner = await signUp()
    expect((await usagePlan(owner)).monthlySearches).toBe(1000)
    const first = await api<{ url: string }>('/v1/billing/checkout', { token: owner.accessToken, body: { plan: 'professional' } })
    expect(first.res.status).toBe(200)
    const { sub } = await subscribe(owner)
    const customers = (await requestsTo('/v1/customers')).filter((r) => (r.params.metadata as { tenantId?: string }).tenantId === owner.tenant.id)
    expect(customers).toHaveLength(1) // two checkouts, one customer: created once, stored, reused
    const [stored] = await query<{ customer: string }>(sql`select stripe_customer_id as customer from tenant_billing where tenant_id = ${owner.tenant.id}`)
    expect(stored?.customer).toBe(sub.customer)

    const state = await billing(owner)
    expect(state.plan.id).toBe('professional')
    expect(state.subscription).toMatchObject({ id: sub.id, status: 'active', plan: 'professional', cancelAtPeriodEnd: false })
    expect(state.invoices.map((i) => i.status)).toEqual(['paid'])
    expect((await usagePlan(owner)).monthlySearches).toBe(10000)
    const key = await createKey(owner, ['read'])
    const limited = await api('/v1/products', { apiKey: key.key })
    expect(limited.res.headers.get('ratelimit-policy')).toContain('q=600')
    expect((await eventsOf(owner.tenant.id, 'subscription.updated')).at(-1)?.data).toMatchObject({ status: 'active', plan: 'professional', previousPlan: 'starter' })

    const again = await api<{ error: { code: string } }>('/v1/billing/checkout', { token: owner.accessToken, body: { plan: 'enterprise' } })
    expect(again.res.status).toBe(409)
    const portal = await api<{ url: string }>('/v1/billing/portal', { token: owner.accessToken, method: 'POST' })
    expect(portal.res.status).toBe(200)
    expect(portal.body.url).toContain('/portal/')
  })

  it('keeps the plan through the grace period of a failed payment, then drops to starter until it is paid', async () => {
    const owner = await signUp()
    const { sub } = await subscribe(owner)
    const failed = await control<{ subscription: Sub; invoice: { id: string } }>(`subscriptions/${sub.id}`, { status: 'past_due' })
    const failure = await deliver('platform', stripeEvent('invoice.payment_failed', { ...failed.invoice, id: failed.invoice.id }))
    expect(failure.body.outcome).toBe('processed')
    let state = await billing(owner)
    expect(state.pastDue).toBe(true)
    expect(state.plan.id).toBe('professional')
    const graceDays = (Date.parse(state.downgradeAt ?? '') - Date.now()) / 86_400_000
    expect(graceDays).toBeGreaterThan(6.9)
    expect(graceDays).toBeLessThanOrEqual(7)
    expect(await eventsOf(owner.tenant.id, 'payment.failed')).toHaveLength(1)

    await query(sql`update tenant_billing set downgrade_at = now() - interval '1 second' where tenant_id = ${owner.tenant.id}`)
    expect((await usagePlan(owner)).id).toBe('starter')
    expect((await billing(owner)).plan.id).toBe('starter')

    await control(`subscriptions/${sub.id}`, { status: 'active' })
    const paid = await deliver('platform', stripeEvent('invoice.paid', { ...failed.invoice, status: 'paid' }))
    expect(paid.body.outcome).toBe('processed')
    state = await billing(owner)
    expect(state).toMatchObject({ pastDue: false, downgradeAt: null, plan: { id: 'professional' } })
    expect(await eventsOf(owner.tenant.id, 'invoice.paid')).toHaveLength(1)
  })

  it('uses the tenant setting for the grace period', async () => {
    const owner = await signUp()
    const patched = await api('/v1/tenant', { token: owner.accessToken, method: 'PATCH', body: { settings: { billingGraceDays: 2 } } })
    expect(patched.res.status).toBe(200)
    const { sub } = await subscribe(owner)
    await subscriptionEvent(sub, 'updated', { status: 'past_due' })
    const days = (Date.parse((await billing(owner)).downgradeAt ?? '') - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(1.9)
    expect(days).toBeLessThanOrEqual(2)
  })

  it('downgrades to starter at the end of a cancelled period, never deleting data', async () => {
    const owner = await signUp()
    const product = await api<{ id: string }>('/v1/products', { token: owner.accessToken, body: { name: 'Kept', status: 'active', variants: [{ sku: `KEEP-${Date.now()}`, price: 100, currency: 'USD' }] } })
    expect(product.res.status).toBe(201)
    const { sub } = await subscribe(owner)
    await subscriptionEvent(sub, 'updated', { cancel_at_period_end: true }, now() + 1)
    expect((await billing(owner)).subscription?.cancelAtPeriodEnd).toBe(true)

    const periodEnd = sub.items.data[0]?.current_period_end ?? 0
    await subscriptionEvent(sub, 'deleted', { status: 'canceled' }, now() + 2)
    let state = await billing(owner)
    expect(state.plan.id).toBe('professional')
    expect(Date.parse(state.downgradeAt ?? '')).toBe(periodEnd * 1000)

    const ended = { ...sub, status: 'canceled', items: { ...sub.items, data: sub.items.data.map((i) => ({ ...i, current_period_end: now() - 10 })) } }
    await subscriptionEvent(ended, 'deleted', { status: 'canceled', items: ended.items }, now() + 3)
    state = await billing(owner)
    expect(state.plan.id).toBe('starter')
    expect(state.subscription?.status).toBe('canceled')
    expect((await usagePlan(owner)).monthlySearches).toBe(1000)
    expect((await api(`/v1/products/${product.body.id}`, { token: owner.accessToken })).res.status).toBe(200)
    expect(await eventsOf(owner.tenant.id, 'subscription.cancelled')).not.toHaveLength(0)
  })
})

describe('platform webhook deliveries', () => {
  it('processes an event once: a duplicate answers 200 and changes nothing', async () => {
    const owner = await signUp()
    const { sub } = await subscribe(owner)
    const changed = await control<{ subscription: Sub }>(`subscriptions/${sub.id}`, { cancel_at_period_end: true })
    const event = stripeEvent('customer.subscription.updated', changed.subscription, { created: now() + 1 })
    expect((await deliver('platform', event)).body.outcome).toBe('processed')
    const before = await eventsOf(owner.tenant.id, 'subscription.updated')
    const second = await deliver('platform', event)
    expect(second).toMatchObject({ status: 200, body: { received: true, outcome: 'duplicate' } })
    expect(await eventsOf(owner.tenant.id, 'subscription.updated')).toHaveLength(before.length)
  })

  it('does not depend on order: `updated` before `created` ends in the newest state', async () => {
    const owner = await signUp()
    const { sub } = await subscribe(owner)
    const t = now() + 5
    const updated = await control<{ subscription: Sub }>(`subscriptions/${sub.id}`, { status: 'active', cancel_at_period_end: true })
    expect((await deliver('platform', stripeEvent('customer.subscription.updated', updated.subscription, { created: t + 1 }))).body.outcome).toBe('processed')
    const createdEarlier = { ...sub, status: 'incomplete', cancel_at_period_end: false }
    expect((await deliver('platform', stripeEvent('customer.subscription.created', createdEarlier, { created: t }))).body.outcome).toBe('processed')
    const state = await billing(owner)
    expect(state.subscription).toMatchObject({ status: 'active', cancelAtPeriodEnd: true })
    const reads = (await requestsTo(`/v1/subscriptions/${sub.id}`)).length
    expect(reads).toBeGreaterThan(0) // the older event was not trusted: the subscription was read again
  })

  it('records a trial ending soon as a domain event of the tenant', async () => {
    const owner = await signUp()
    const { sub } = await subscribe(owner)
    const trialEnd = now() + 3 * 86_400
    expect((await deliver('platform', stripeEvent('customer.subscription.trial_will_end', { ...sub, trial_end: trialEnd }))).body.outcome).toBe('processed')
    expect(await eventsOf(owner.tenant.id, 'subscription.trial_will_end')).toMatchObject([{ subject_id: sub.id, data: { trialEnd: new Date(trialEnd * 1000).toISOString() } }])
  })

  it('refuses a bad signature, a stale timestamp and a missing header with 400, and ignores unknown types', async () => {
    const event = stripeEvent('customer.subscription.updated', { id: 'sub_x', customer: 'cus_nobody' })
    const bad = await deliver('platform', event, { secret: 'whsec_wrong' })
    expect(bad.status).toBe(400)
    expect(bad.body.error?.code).toBe('invalid_request')
    const stale = await deliver('platform', event, { timestamp: now() - 600 })
    expect(stale.status).toBe(400)
    expect((await deliver('platform', event, { header: null })).status).toBe(400)
    const connectSecret = await deliver('platform', event, { secret: secretOf('connect') })
    expect(connectSecret.status).toBe(400)
    const unknown = await deliver('platform', stripeEvent('product.created', { id: 'prod_1' }))
    expect(unknown).toMatchObject({ status: 200, body: { outcome: 'ignored' } })
  })

  it('applies a subscription only to the tenant whose customer it names', async () => {
    const a = await signUp()
    const b = await signUp()
    const { sub } = await subscribe(a)
    const foreign = { ...sub, customer: 'cus_test_not_ours', status: 'canceled' }
    const answer = await deliver('platform', stripeEvent('customer.subscription.deleted', foreign, { created: now() + 1 }))
    expect(answer.status).toBe(200)
    expect((await billing(a)).plan.id).toBe('professional')
    expect((await billing(b)).plan.id).toBe('starter')
  })
})

describe('billing access', () => {
  it('lets only owners buy and manage the plan (403 for an admin and for API keys)', async () => {
    const owner = await signUp()
    const admin = await addMember(owner, 'admin')
    for (const [path, body] of [['/v1/billing/checkout', { plan: 'professional' }], ['/v1/billing/portal', undefined], ['/v1/payments/connect', undefined]] as const) {
      const answer = await api<{ error: { code: string } }>(path, { token: admin.accessToken, method: 'POST', ...(body ? { body } : {}) })
      expect({ path, status: answer.res.status, code: answer.body.error.code }).toEqual({ path, status: 403, code: 'forbidden' })
    }
    expect((await api('/v1/billing', { token: admin.accessToken })).res.status).toBe(200)
    const key = await createKey(owner, ['admin'])
    expect((await api('/v1/billing', { apiKey: key.key })).res.status).toBe(403)
    const notForSale = await api<{ error: { code: string } }>('/v1/billing/checkout', { token: owner.accessToken, body: { plan: 'starter' } })
    expect(notForSale.res.status).toBe(409)
    expect(notForSale.body.error.code).toBe('plan_not_for_sale')
    const unknown = await api<{ error: { code: string } }>('/v1/billing/checkout', { token: owner.accessToken, body: { plan: 'nope' } })
    expect(unknown.res.status).toBe(400)
  })

  it('answers 503 payments_not_configured naming the variables when Stripe keys are missing', async () => {
    const owner = await signUp()
    const unconfigured = { ...env, STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', STRIPE_CONNECT_WEBHOOK_SECRET: '' }
    for (const [method, path] of [['GET', '/v1/billing'], ['POST', '/v1/billing/checkout'], ['POST', '/v1/billing/portal'], ['GET', '/v1/payments/connect'], ['POST', '/v1/payments/connect'], ['POST', '/v1/webhooks/stripe'], ['POST', '/v1/webhooks/stripe-connect']] as const) {
      const ctx = createExecutionContext()
      const body = path === '/v1/billing/checkout' ? JSON.stringify({ plan: 'professional' }) : path.includes('webhooks') ? (await signed(stripeEvent('x', {}), 'whsec_any')).payload : undefined
      const res = await createApp().request(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' }, ...(body ? { body } : {}) }, unconfigured, ctx)
      await waitOnExecutionContext(ctx)
      const answer = (await res.json()) as { error: { code: string; details: { missing: string[] } } }
      expect({ path, status: res.status, code: answer.error.code }).toEqual({ path, status: 503, code: 'payments_not_configured' })
      expect(answer.error.details.missing).toEqual(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_CONNECT_WEBHOOK_SECRET'])
    }
  })

  it("keeps tenants apart: billing shows and changes only the caller's tenant", async () => {
    const a = await signUp()
    const b = await signUp()
    await subscribe(b)
    const seen = await billing(a)
    expect(seen).toMatchObject({ plan: { id: 'starter' }, subscription: null, invoices: [] })
    const portal = await api<{ error: { code: string } }>('/v1/billing/portal', { token: a.accessToken, method: 'POST' })
    expect(portal.res.status).toBe(409)
    const started = await api('/v1/billing/checkout', { token: a.accessToken, body: { plan: 'professional' } })
    expect(started.res.status).toBe(200)
    const [ra] = await query<{ customer: string }>(sql`select stripe_customer_id as customer from tenant_billing where tenant_id = ${a.tenant.id}`)
    const [rb] = await query<{ customer: string }>(sql`select stripe_customer_id as customer from tenant_billing where tenant_id = ${b.tenant.id}`)
    expect(ra?.customer).toBeTruthy()
    expect(ra?.customer).not.toBe(rb?.customer)
    expect((await billing(b)).plan.id).toBe('professional')
  })
})
