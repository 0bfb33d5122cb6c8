// A local Stripe for the tests, started by the test global setup on 127.0.0.1: the form-encoded parts of Stripe's API
// the Worker calls (customers, Checkout and Billing Portal sessions, Connect accounts and links, refunds, subscriptions,
// invoices), with state in memory, Stripe-shaped JSON and errors, and idempotency keys replayed as Stripe does.
// `/ctl/...` routes (JSON) play the customer and Stripe's side: complete a session, change a subscription or an account.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Obj = Record<string, unknown>
/** One API request the fake received, for assertions (which account, which idempotency key, which parameters). */
export interface FakeStripeRequest {
  method: string
  path: string
  account: string | null
  idempotencyKey: string | null
  params: Obj
}

const THIRTY_MINUTES = 30 * 60
const DAY = 24 * 60 * 60

let counter = 0
const id = (prefix: string) => `${prefix}_test_${Date.now().toString(36)}${(++counter).toString(36)}`
const now = () => Math.floor(Date.now() / 1000)

/** Parses Stripe's form encoding (`a[b][0][c]=1`) into nested objects and arrays. */
function parseForm(body: string): Obj {
  const root: Obj = {}
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== '')
    let node: Obj | unknown[] = root
    parts.forEach((part, i) => {
      const last = i === parts.length - 1
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? '')
      const slot = node as Record<string, unknown>
      if (last) slot[part] = value
      else {
        slot[part] ??= nextIsIndex ? [] : {}
        node = slot[part] as Obj
      }
    })
  }
  return root
}

class StripeFail extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly param?: string,
  ) {
    super(message)
  }
}

const customers = new Map<string, Obj>()
const sessions = new Map<string, Obj>()
const subscriptions = new Map<string, Obj>()
const invoices = new Map<string, Obj>()
const accounts = new Map<string, Obj>()
const charges = new Map<string, Obj>()
const refunds = new Map<string, Obj>()
const idempotent = new Map<string, { status: number; body: unknown }>()
const requests: FakeStripeRequest[] = []

const need = (map: Map<string, Obj>, key: string | undefined, what: string): Obj => {
  const found = key ? map.get(key) : undefined
  if (!found) throw new StripeFail(404, `No such ${what}: '${key ?? ''}'`, 'invalid_request_error', 'id')
  return found
}
const required = (params: Obj, name: string): unknown => {
  if (params[name] === undefined) throw new StripeFail(400, `Missing required param: ${name}.`, 'invalid_request_error', name)
  return params[name]
}
const int = (v: unknown) => (v === undefined ? undefined : Number(v))

function subscriptionItems(price: string, interval: string, periodEnd: number) {
  return { object: 'list', data: [{ id: id('si'), object: 'subscription_item', price: { id: price, object: 'price', recurring: { interval } }, current_period_start: now(), current_period_end: periodEnd }] }
}

function createSession(params: Obj, account: string | null, base: string): Obj {
  const mode = required(params, 'mode') as string
  const lineItems = (params.line_items as Obj[] | undefined) ?? []
  if (lineItems.length === 0) throw new StripeFail(400, 'line_items is required', 'invalid_request_error', 'line_items')
  const expiresAt = int(params.expires_at) ?? now() + DAY
  if (expiresAt < now() + THIRTY_MINUTES - 5 || expiresAt > now() + DAY + 5) {
    throw new StripeFail(400, 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'invalid_request_error', 'expires_at')
  }
  if (mode === 'subscription' && account) throw new StripeFail(400, 'subscriptions are billed on the platform account here')
  if (mode === 'subscription' && !customers.has(String(params.customer))) throw new StripeFail(400, `No such customer: '${String(params.customer)}'`, 'invalid_request_error', 'customer')
  if (account && !accounts.has(account)) throw new StripeFail(403, 'The provided key does not have access to account', 'invalid_request_error')
  const amount = lineItems.reduce<number>((sum, item) => {
    const data = item.price_data as Obj | undefined
    return sum + Number(data?.unit_amount ?? 0) * Number(item.quantity ?? 1)
  }, 0)
  const sessionId = id('cs')
  const session: Obj = {
    id: sessionId,
    object: 'checkout.session',
    mode,
    status: 'open',
    payment_status: 'unpaid',
    url: `${base}/pay/${sessionId}`,
    customer: params.customer ?? null,
    client_reference_id: params.client_reference_id ?? null,
    metadata: params.metadata ?? {},
    amount_total: mode === 'payment' ? amount : null,
    currency: mode === 'payment' ? (((lineItems[0]?.price_data as Obj | undefined)?.currency as string) ?? null) : null,
    expires_at: expiresAt,
    created: now(),
    subscription: null,
    payment_intent: null,
    success_url: params.success_url ?? null,
    cancel_url: params.cancel_url ?? null,
    livemode: false,
    _line_items: lineItems,
    _subscription_data: params.subscription_data ?? {},
    _payment_intent_data: params.payment_intent_data ?? {},
    _account: account,
  }
  sessions.set(session.id as string, session)
  return session
}

/** The customer pays: a subscription (and its paid invoice) or a charge on the connected account. */
function completeSession(sessionId: string): Obj {
  const session = need(sessions, sessionId, 'checkout.session')
  session.status = 'complete'
  session.payment_status = 'paid'
  const out: Obj = { session }
  if (session.mode === 'subscription') {
    const item = (session._line_items as Obj[])[0] ?? {}
    const price = String(item.price)
    const interval = price.includes('year') ? 'year' : 'month'
    const periodEnd = now() + (interval === 'year' ? 365 : 30) * DAY
    const sub: Obj = {
      id: id('sub'),
      object: 'subscription',
      customer: session.customer,
      status: 'active',
      cancel_at_period_end: false,
      created: now(),
      metadata: (session._subscription_data as Obj).metadata ?? {},
      items: subscriptionItems(price, interval, periodEnd),
    }
    subscriptions.set(sub.id as string, sub)
    session.subscription = sub.id
    out.subscription = sub
    out.invoice = addInvoice(sub, 'paid')
  } else {
    const piId = id('pi')
    const charge: Obj = { id: id('ch'), object: 'charge', amount: session.amount_total, amount_refunded: 0, currency: session.currency, payment_intent: piId, metadata: session.metadata, refunded: false, created: now(), refunds: { object: 'list', data: [] }, _account: session._account }
    charges.set(charge.id as string, charge)
    session.payment_intent = piId
    out.charge = charge
  }
  return out
}

function addInvoice(sub: Obj, status: 'paid' | 'open'): Obj {
  const items = (sub.items as { data: { price: { id: string }; current_period_end: number }[] }).data
  const invoice: Obj = {
    id: id('in'),
    object: 'invoice',
    customer: sub.customer,
    status,
    amount_due: 2900,
    amount_paid: status === 'paid' ? 2900 : 0,
    currency: 'usd',
    created: now(),
    hosted_invoice_url: `https://invoice.example/${String(counter)}`,
    period_end: items[0]?.current_period_end ?? now(),
    parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata: sub.metadata } },
  }
  invoices.set(invoice.id as string, invoice)
  return invoice
}

function createRefund(params: Obj, account: string | null): Obj {
  const pi = params.payment_intent as string | undefined
  const charge = [...charges.values()].find((c) => c.payment_intent === pi || c.id === params.charge)
  if (!charge || charge._account !== account) throw new StripeFail(404, `No such payment_intent: '${pi ?? ''}'`, 'invalid_request_error', 'payment_intent')
  const left = Number(charge.amount) - Number(charge.amount_refunded)
  const amount = int(params.amount) ?? left
  if (amount > left) throw new StripeFail(400, `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'invalid_request_error', 'amount')
  const refund: Obj = { id: id('re'), object: 'refund', amount, charge: charge.id, payment_intent: charge.payment_intent, status: 'succeeded', metadata: params.metadata ?? {}, created: now() }
  refunds.set(refund.id as string, refund)
  charge.amount_refunded = Number(charge.amount_refunded) + amount
  charge.refunded = charge.amount_refunded === charge.amount
  ;(charge.refunds as { data: Obj[] }).data.unshift(refund)
  return refund
}

/** Drops the fake's private fields (`_…`) from what it answers. */
const visible = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('_')))

function api(method: string, path: string, params: Obj, account: string | null, base: string): unknown {
  const [, , resource, rid, sub] = path.split('/')
  if (method === 'POST' && path === '/v1/customers') {
    const customer = { id: id('cus'), object: 'customer', email: params.email ?? null, name: params.name ?? null, metadata: params.metadata ?? {}, created: now() }
    customers.set(customer.id, customer)
    return customer
  }
  if (method === 'POST' && path === '/v1/checkout/sessions') return visible(createSession(params, account, base))
  if (method === 'GET' && resource === 'checkout') return visible(need(sessions, sub, 'checkout.session'))
  if (method === 'POST' && path === '/v1/billing_portal/sessions') {
    need(customers, params.customer as string, 'customer')
    return { id: id('bps'), object: 'billing_portal.session', customer: params.customer, return_url: params.return_url ?? null, url: `${base}/portal/${String(counter)}` }
  }
  if (method === 'POST' && path === '/v1/accounts') {
    const account = { id: id('acct'), object: 'account', type: params.type ?? 'express', country: params.country ?? 'US', email: params.email ?? null, metadata: params.metadata ?? {}, charges_enabled: false, payouts_enabled: false, details_submitted: false, requirements: { currently_due: ['external_account', 'tos_acceptance.date'], past_due: [], disabled_reason: 'requirements.past_due' }, created: now() }
    accounts.set(account.id, account)
    return account
  }
  if (method === 'GET' && resource === 'accounts') return need(accounts, rid, 'account')
  if (method === 'POST' && path === '/v1/account_links') {
    need(accounts, required(params, 'account') as string, 'account')
    required(params, 'refresh_url')
    required(params, 'return_url')
    return { object: 'account_link', url: `${base}/onboard/${String(params.account)}`, created: now(), expires_at: now() + 300 }
  }
  if (method === 'POST' && path === '/v1/refunds') return createRefund(params, account)
  if (method === 'GET' && path === '/v1/refunds') {
    const list = [...refunds.values()].filter((r) => r.charge === params.charge && charges.get(String(r.charge))?._account === account)
    return { object: 'list', data: list, has_more: false, url: '/v1/refunds' }
  }
  if (method === 'GET' && resource === 'subscriptions') return need(subscriptions, rid, 'subscription')
  if (method === 'GET' && path === '/v1/invoices') {
    const list = [...invoices.values()].filter((i) => !params.customer || i.customer === params.customer).sort((a, b) => Number(b.created) - Number(a.created))
    return { object: 'list', data: list.slice(0, int(params.limit) ?? 10), has_more: list.length > (int(params.limit) ?? 10), url: '/v1/invoices' }
  }
  throw new StripeFail(404, `Unrecognized request URL (${method}: ${path}).`)
}

function control(method: string, path: string, body: Obj): unknown {
  const [, , kind, rid, action] = path.split('/')
  if (kind === 'requests') return requests
  if (kind === 'sessions' && action === 'complete') return completeSession(rid ?? '')
  if (kind === 'subscriptions') {
    const sub = need(subscriptions, rid, 'subscription')
    Object.assign(sub, body)
    const out: Obj = { subscription: sub }
    if (body.status === 'past_due') out.invoice = addInvoice(sub, 'open')
    return out
  }
  if (kind === 'accounts') return Object.assign(need(accounts, rid, 'account'), body)
  if (kind === 'charges') return need(charges, rid, 'charge')
  throw new StripeFail(404, `no control ${method} ${path}`)
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (c: Buffer) => (data += c.toString()))
    req.on('end', () => resolve(data))
  })

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${String(counter)}` }).end(JSON.stringify(body))
}

/** Starts the fake on a free loopback port. */
export async function startFakeStripe(): Promise<{ url: string; stop: () => Promise<void> }> {
  let base = ''
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const text = await readBody(req)
      try {
        if (url.pathname.startsWith('/ctl/')) return send(res, 200, control(req.method ?? 'GET', url.pathname, text ? (JSON.parse(text) as Obj) : {}))
        if (!/^Bearer sk_test_\w+/.test(req.headers.authorization ?? '')) throw new StripeFail(401, 'Invalid API Key provided', 'invalid_request_error')
        const params = req.method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(text)
        const account = (req.headers['stripe-account'] as string | undefined) ?? null
        const key = (req.headers['idempotency-key'] as string | undefined) ?? null
        requests.push({ method: req.method ?? 'GET', path: url.pathname, account, idempotencyKey: key, params })
        const replayKey = key && req.method === 'POST' ? `${account ?? ''}:${key}` : null
        const replay = replayKey ? idempotent.get(replayKey) : undefined
        if (replay) return send(res, replay.status, replay.body)
        const body = api(req.method ?? 'GET', url.pathname, params, account, base)
        if (replayKey) idempotent.set(replayKey, { status: 200, body })
        send(res, 200, body)
      } catch (error) {
        if (error instanceof StripeFail) return send(res, error.status, { error: { type: error.type, message: error.message, ...(error.param ? { param: error.param } : {}) } })
        send(res, 500, { error: { type: 'api_error', message: String(error) } })
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  base = `http://127.0.0.1:${port}`
  return {
    url: base,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
