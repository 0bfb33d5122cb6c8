// Test helpers for the Worker: typed calls through SELF, and accounts, keys and members created through the API itself.
import { env, SELF } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { createDatabase } from '../../workers/db/client'
import { plans } from '../../workers/db/schema/plans'
import { tenants } from '../../workers/db/schema/tenants'

export const BASE = 'http://vitrina.test'

let counter = 0
/** A unique suffix so test files sharing one database never collide. */
export function unique(label: string): string {
  counter += 1
  return `${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

/** A made-up client address (198.18.0.0/15, for benchmarks), so each test gets its own per-IP sign-in and sign-up budget. */
export function clientIp(): string {
  const random = (n: number) => Math.floor(Math.random() * n)
  return `198.${18 + random(2)}.${random(256)}.${random(254) + 1}`
}

export interface CallOptions {
  method?: string
  token?: string
  apiKey?: string
  body?: unknown
  headers?: Record<string, string>
}

/** Calls the Worker with JSON and a credential; returns the response and its parsed body. */
export async function api<T = Record<string, unknown>>(path: string, options: CallOptions = {}): Promise<{ res: Response; body: T }> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.apiKey) headers['x-api-key'] = options.apiKey
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await SELF.fetch(`${BASE}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await res.text()
  return { res, body: (text ? JSON.parse(text) : null) as T }
}

/** Calls as a well-behaved client under load would: a 503 `database_busy` is sent again after its Retry-After (5 tries). */
export async function apiRetryingBusy<T = Record<string, unknown>>(path: string, options: CallOptions = {}): Promise<{ res: Response; body: T }> {
  for (let attempt = 1; ; attempt++) {
    const answer = await api<T>(path, options)
    const busy = answer.res.status === 503 && (answer.body as { error?: { code?: string } } | null)?.error?.code === 'database_busy'
    if (!busy || attempt === 5) return answer
    await scheduler.wait(Number(answer.res.headers.get('retry-after') ?? '1') * 1000)
  }
}

export interface Account {
  email: string
  password: string
  accessToken: string
  refreshToken: string
  tenant: { id: string; slug: string; name: string; plan: string }
  user: { id: string; email: string }
}

/** Registers a fresh owner with their own tenant. */
export async function signUp(shop = unique('Shop')): Promise<Account> {
  const email = `${unique('owner')}@example.com`
  const password = 'correct horse battery'
  const { res, body } = await api<Omit<Account, 'email' | 'password'>>('/v1/auth/register', {
    body: { email, password, tenantName: shop },
    headers: { 'cf-connecting-ip': clientIp() },
  })
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(body)}`)
  return { ...body, email, password }
}

/** Creates an API key with `scopes` for the account's tenant and returns the key and its id. */
export async function createKey(owner: Account, scopes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const { res, body } = await api<{ id: string; key: string }>('/v1/api-keys', { token: owner.accessToken, body: { name: unique('key'), scopes, ...extra } })
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(body)}`)
  return body
}

/** An invitation as created through the API, with the token from its link. */
export interface Invitation {
  id: string
  email: string
  role: string
  url: string
  token: string
}

/** Invites `email` with `role` into the owner's tenant. */
export async function invite(owner: Account, email: string, role: string): Promise<Invitation> {
  const { res, body } = await api<Omit<Invitation, 'token'>>('/v1/members/invitations', { token: owner.accessToken, body: { email, role } })
  if (res.status !== 201) throw new Error(`invitation failed: ${res.status} ${JSON.stringify(body)}`)
  const token = decodeURIComponent(new URL(body.url).pathname.split('/invite/')[1] ?? '')
  return { ...body, token }
}

/** Adds a new person with `role` to the owner's tenant: an invitation they accept with their own password (signed in). */
export async function addMember(owner: Account, role: string): Promise<Account> {
  const email = `${unique(role)}@example.com`
  const password = 'another good password'
  const invitation = await invite(owner, email, role)
  const { res, body } = await api<Omit<Account, 'email' | 'password'>>(`/v1/invitations/${invitation.token}/accept`, { body: { password } })
  if (res.status !== 200) throw new Error(`accepting failed: ${res.status} ${JSON.stringify(body)}`)
  return { ...body, email, password }
}

/** Limits a test plan may set; the rest stay generous (600 requests a minute, no quotas). */
export type PlanLimits = Partial<Pick<typeof plans.$inferInsert, 'requestsPerDay' | 'monthlySearches' | 'monthlyChatMessages'>>

/** Moves the tenant of `owner` onto a plan of its own with `limits`; answers the plan's id. */
export async function onOwnPlan(owner: Account, name: string, limits: PlanLimits): Promise<string> {
  const id = unique('plan')
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    await client.db.insert(plans).values({ id, name, priceCents: 0, requestsPerMinute: 600, ...limits })
    await client.db.update(tenants).set({ plan: id }).where(eq(tenants.id, owner.tenant.id))
  } finally {
    await client.close()
  }
  return id
}
