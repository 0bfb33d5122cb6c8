// Shops' payments through Stripe Connect (against the local fake): onboarding and account status, an order paid
// through its connected account's Checkout Session with stock committed, refunds both ways, disputes, and isolation.
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openShop, levelOf, stockedVariant, type Shop } from './commerce-helpers'
import { api } from './helpers'
import { act, orderOf, readOrder, type Order } from './order-helpers'
import { control, deliver, deliverAndWait, eventsOf, fakeStripeUrl, query, requestsTo, stripeEvent } from './stripe-helpers'

type Session = { id: string; url: string; amount: number; applicationFee: number; expiresAt: string }
type StripeSession = { id: string; payment_intent: string | null; metadata: Record<string, string> }
type Charge = { id: string; payment_intent: string; amount: number }
type Account = { id: string; charges_enabled: boolean }
const now = () => Math.floor(Date.now() / 1000)

/** Connects the shop's account and lets Stripe enable charges (delivered as `account.updated`). */
async function connectShop(shop: Shop): Promise<string> {
  const linked = await api<{ url: string; accountId: string }>('/v1/payments/connect', { token: shop.owner.accessToken, method: 'POST' })
  expect(linked.res.status, JSON.stringify(linked.body)).toBe(200)
  const account = await control<Account>(`accounts/${linked.body.accountId}`, { charges_enabled: true, payouts_enabled: true, requirements: { currently_due: [], past_due: [] } })
  const updated = await deliver('connect', stripeEvent('account.updated', account, { account: account.id }))
  expect(updated.body.outcome).toBe('processed')
  return account.id
}

/** Opens a session for the order and pays it on the fake; answers the completed session and its charge. */
async function payOnStripe(shop: Shop, order: Order): Promise<{ session: StripeSession; charge: Charge }> {
  const opened = await api<Session>(`/v1/orders/${order.id}/checkout-session`, { apiKey: shop.serverKey, body: {} })
  expect(opened.res.status, JSON.stringify(opened.body)).toBe(200)
  return control<{ session: StripeSession; charge: Charge }>(`sessions/${opened.body.id}/complete`)
}

describe('connected accounts', () => {
  it("onboards once and tracks the account's status from events, older ones re-read", async () => {
    const shop = await openShop()
    const before = await api<{ accountId: string | null }>('/v1/payments/connect', { token: shop.owner.accessToken })
    expect(before.body).toEqual({ accountId: null, chargesEnabled: false, payoutsEnabled: false, requirementsDue: [] })
    const first = await api<{ url: string; accountId: string }>('/v1/payments/connect', { token: shop.owner.accessToken, method: 'POST' })
    const second = await api<{ url: string; accountId: string }>('/v1/payments/connect', { token: shop.owner.accessToken, method: 'POST' })
    expect(second.body.accountId).toBe(first.body.accountId)
    expect(first.body.url).toContain('/onboard/')
    const pending = await api<{ chargesEnabled: boolean; requirementsDue: string[] }>('/v1/payments/connect', { token: shop.owner.accessToken })
    expect(pending.body).toMatchObject({ chargesEnabled: false, requirementsDue: ['external_account', 'tos_acceptance.date'] })

    const enabled = await control<Account>(`accounts/${first.body.accountId}`, { charges_enabled: true, payouts_enabled: true, requirements: { currently_due: [] } })
    const t = now() + 5
    expect((await deliver('connect', stripeEvent('account.updated', enabled, { account: enabled.id, created: t }))).body.outcome).toBe('processed')
    const older = await deliver('connect', stripeEvent('account.updated', { ...enabled, charges_enabled: false }, { account: enabled.id, created: t - 60 }))
    expect(older.body.outcome).toBe('processed')
    const [row] = await query<{ charges: boolean }>(sql`select charges_enabled as charges from tenant_billing where tenant_id = ${shop.owner.tenant.id}`)
    expect(row?.charges).toBe(true)
    expect(await eventsOf(shop.owner.tenant.id, 'payments_account.updated')).not.toHaveLength(0)
  })
})

describe('orders paid through Stripe', () => {
  it("pays an order through the shop's session: payment, paid, and stock committed by the work the webhook leaves running", async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000, stock: { main: 10 } })
    const order = await orderOf(shop, sku, 2)
    const early = await api<{ error: { code: string } }>(`/v1/orders/${order.id}/checkout-session`, { apiKey: shop.serverKey, body: {} })
    expect(early.res.status).toBe(409)
    expect(early.body.error.code).toBe('payments_account_not_ready')

    const account = await connectShop(shop)
    const opened = await api<Session>(`/v1/orders/${order.id}/checkout-session`, { apiKey: shop.serverKey, body: { successUrl: 'https://shop.example/thanks' } })
    expect(opened.res.status, JSON.stringify(opened.body)).toBe(200)
    expect(opened.body).toMatchObject({ amount: 2000, applicationFee: 40 })
    const [request] = (await requestsTo('/v1/checkout/sessions')).filter((r) => (r.params.metadata as { orderId?: string }).orderId === order.id)
    expect(request?.account).toBe(account)
    expect(request?.idempotencyKey).toContain(order.id)
    expect(request?.params).toMatchObject({ mode: 'payment', success_url: 'https://shop.example/thanks', payment_intent_data: { application_fee_amount: '40' }, line_items: [{ quantity: '2', price_data: { unit_amount: '1000', currency: 'eur' } }] })
    const expiresIn = Number(request?.params.expires_at) - now()
    expect(expiresIn).toBeGreaterThan(23 * 3600)
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600)

    const paid = await control<{ session: StripeSession; charge: Charge }>(`sessions/${opened.body.id}/complete`)
    const event = stripeEvent('checkout.session.completed', paid.session, { account })
    const delivered = await deliverAndWait('connect', event)
    expect(delivered.status).toBe(200)
    const after = await readOrder(shop, order.id)
    expect(after).toMatchObject({ paymentStatus: 'paid', paidAmount: 2000, stockState: 'committed' })
    expect((after as Order & { payments: { method: string; reference: string }[] }).payments).toMatchObject([{ method: 'stripe', amount: 2000, reference: paid.charge.payment_intent }])
    expect((await levelOf(shop, sku)).onHand).toBe(8)
    expect(await eventsOf(shop.owner.tenant.id, 'order.paid')).toHaveLength(1)

    expect((await deliver('connect', event)).body.outcome).toBe('duplicate')
    const again = await deliver('connect', { ...event, id: `${event.id}_resent` })
    expect(again.body.outcome).toBe('processed')
    expect((await readOrder(shop, order.id)).paidAmount).toBe(2000)
  })

  it('clamps the session to the 30 minutes Stripe requires when the payment window ends sooner', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 700 })
    const order = await orderOf(shop, sku, 1)
    await connectShop(shop)
    await query(sql`update orders set hold_expires_at = now() + interval '5 minutes' where id = ${order.id}`)
    const opened = await api<Session>(`/v1/orders/${order.id}/checkout-session`, { apiKey: shop.serverKey, body: {} })
    expect(opened.res.status, JSON.stringify(opened.body)).toBe(200)
    const seconds = (Date.parse(opened.body.expiresAt) - Date.now()) / 1000
    expect(seconds).toBeGreaterThan(30 * 60)
    expect(seconds).toBeLessThan(32 * 60)
  })

  it('sends a staff refund back through Stripe and records charge.refunded once; a dashboard refund is recorded too', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1000 })
    const order = await orderOf(shop, sku, 1)
    const account = await connectShop(shop)
    const { session, charge } = await payOnStripe(shop, order)
    expect((await deliverAndWait('connect', stripeEvent('checkout.session.completed', session, { account }))).status).toBe(200)

    const refunded = await act(shop, order.id, 'refunds', { amount: 400, restock: false })
    expect(refunded.res.status, JSON.stringify(refunded.body)).toBe(200)
    const [sent] = await requestsTo('/v1/refunds').then((all) => all.filter((r) => r.params.payment_intent === charge.payment_intent))
    expect(sent).toMatchObject({ account, params: { amount: '400' } })
    const updatedCharge = await control<Charge>(`charges/${charge.id}`)
    expect((await deliver('connect', stripeEvent('charge.refunded', updatedCharge, { account }))).body.outcome).toBe('processed')
    let after = await readOrder(shop, order.id)
    expect(after.refundedAmount).toBe(400)
    expect(after.refunds).toHaveLength(1)

    const dashboard = await fetch(`${fakeStripeUrl}/v1/refunds`, { method: 'POST', headers: { authorization: 'Bearer sk_test_dashboard', 'stripe-account': account, 'content-type': 'application/x-www-form-urlencoded' }, body: `payment_intent=${charge.payment_intent}&amount=300` })
    expect(dashboard.status).toBe(200)
    expect((await deliver('connect', stripeEvent('charge.refunded', await control<Charge>(`charges/${charge.id}`), { account }))).body.outcome).toBe('processed')
    after = await readOrder(shop, order.id)
    expect(after).toMatchObject({ refundedAmount: 700, paymentStatus: 'partially_refunded' })
    expect(after.refunds).toHaveLength(2)
    expect(await eventsOf(shop.owner.tenant.id, 'order.refunded')).toHaveLength(2)
  })

  it('records an expired session as an event and leaves the order to its payment window', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 800 })
    const order = await orderOf(shop, sku, 1)
    const account = await connectShop(shop)
    const opened = await api<Session>(`/v1/orders/${order.id}/checkout-session`, { apiKey: shop.serverKey, body: {} })
    const expired = { id: opened.body.id, object: 'checkout.session', mode: 'payment', status: 'expired', payment_status: 'unpaid', amount_total: 800, payment_intent: null, metadata: { orderId: order.id, tenantId: shop.owner.tenant.id } }
    expect((await deliver('connect', stripeEvent('checkout.session.expired', expired, { account }))).body.outcome).toBe('processed')
    expect(await eventsOf(shop.owner.tenant.id, 'order.checkout_expired')).toMatchObject([{ subject_id: order.id, data: { sessionId: opened.body.id } }])
    expect(await readOrder(shop, order.id)).toMatchObject({ status: 'open', paymentStatus: 'pending', stockState: 'held' })
  })

  it('flags an order whose payment is disputed, with its event', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 1500 })
    const order = await orderOf(shop, sku, 1)
    const account = await connectShop(shop)
    const { session, charge } = await payOnStripe(shop, order)
    await deliverAndWait('connect', stripeEvent('checkout.session.completed', session, { account }))
    const dispute = { id: `dp_test_${Date.now()}`, object: 'dispute', amount: 1500, charge: charge.id, payment_intent: charge.payment_intent, reason: 'fraudulent', status: 'needs_response' }
    const event = stripeEvent('charge.dispute.created', dispute, { account })
    expect((await deliver('connect', event)).body.outcome).toBe('processed')
    const after = (await readOrder(shop, order.id)) as Order & { disputedAt: string | null }
    expect(after.disputedAt).not.toBeNull()
    expect(after.timeline.map((t) => t.type)).toContain('disputed')
    expect(await eventsOf(shop.owner.tenant.id, 'order.disputed')).toMatchObject([{ subject_id: order.id, data: { reason: 'fraudulent' } }])
  })

  it('returns through Stripe a payment for an order that was cancelled meanwhile', async () => {
    const shop = await openShop()
    const { sku } = await stockedVariant(shop, { price: 900 })
    const order = await orderOf(shop, sku, 1)
    const account = await connectShop(shop)
    const opened = await api<Session>(`/v1/orders/${order.id}/checkout-session`, { apiKey: shop.serverKey, body: {} })
    expect((await act(shop, order.id, 'cancel', {})).res.status).toBe(200)
    const paid = await control<{ session: StripeSession; charge: Charge }>(`sessions/${opened.body.id}/complete`)
    expect((await deliver('connect', stripeEvent('checkout.session.completed', paid.session, { account }))).status).toBe(200)
    const returned = (await requestsTo('/v1/refunds')).filter((r) => r.params.payment_intent === paid.charge.payment_intent)
    expect(returned).toHaveLength(1)
    const after = await readOrder(shop, order.id)
    expect(after).toMatchObject({ status: 'cancelled', paidAmount: 0 })
    expect(after.timeline.map((t) => t.type)).toContain('stripe_payment_returned')
  })
})

describe('isolation of Stripe payments', () => {
  it("ignores an event for another tenant's order and changes nothing", async () => {
    const a = await openShop()
    const b = await openShop()
    const { sku } = await stockedVariant(a, { price: 1000 })
    const order = await orderOf(a, sku, 1)
    await connectShop(a)
    const bAccount = await connectShop(b)
    for (const tenantId of [b.owner.tenant.id, a.owner.tenant.id]) {
      const forged = { id: `cs_test_forged_${tenantId}`, object: 'checkout.session', mode: 'payment', payment_status: 'paid', status: 'complete', amount_total: 1000, payment_intent: `pi_test_forged_${tenantId}`, metadata: { orderId: order.id, tenantId } }
      const answer = await deliver('connect', stripeEvent('checkout.session.completed', forged, { account: bAccount }))
      expect(answer.status).toBe(200)
    }
    const unknownAccount = await deliver('connect', stripeEvent('checkout.session.completed', { id: 'cs_x', mode: 'payment', payment_status: 'paid', metadata: { orderId: order.id } }, { account: 'acct_test_unknown' }))
    expect(unknownAccount.body.outcome).toBe('ignored')
    const after = await readOrder(a, order.id)
    expect(after).toMatchObject({ paymentStatus: 'pending', paidAmount: 0, stockState: 'held' })
    expect(await eventsOf(b.owner.tenant.id, 'order.paid')).toHaveLength(0)
  })

  it("keeps tenants apart: another tenant's credentials cannot open a session for an order, nor see its account", async () => {
    const a = await openShop()
    const b = await openShop()
    const { sku } = await stockedVariant(b, { price: 1000 })
    const order = await orderOf(b, sku, 1)
    await connectShop(b)
    await connectShop(a)
    const foreign = await api<{ error: { code: string } }>(`/v1/orders/${order.id}/checkout-session`, { apiKey: a.serverKey, body: {} })
    expect(foreign.res.status).toBe(404)
    const [rowA] = await query<{ account: string }>(sql`select connect_account_id as account from tenant_billing where tenant_id = ${a.owner.tenant.id}`)
    const [rowB] = await query<{ account: string }>(sql`select connect_account_id as account from tenant_billing where tenant_id = ${b.owner.tenant.id}`)
    const seen = await api<{ accountId: string }>('/v1/payments/connect', { token: a.owner.accessToken })
    expect(seen.body.accountId).toBe(rowA?.account)
    expect(seen.body.accountId).not.toBe(rowB?.account)
    const again = await api<{ accountId: string }>('/v1/payments/connect', { token: a.owner.accessToken, method: 'POST' })
    expect(again.body.accountId).toBe(rowA?.account)
    expect((await readOrder(b, order.id)).paidAmount).toBe(0)
  })
})
