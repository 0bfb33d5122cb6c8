// Issue 13, findings 3 and 7: which client IP the sign-in and registration limits believe, IPv6 keyed by /64, bounded
// keys, the per-account progressive delay (grows, resets on success, bounded) and the registration cap per IP.
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { RateLimiter } from '../../durable-objects/rate-limiter'
import { createApp } from '../../workers/app'
import { clientKey, UNKNOWN_CLIENT } from '../../workers/auth/client-ip'
import { SIGN_IN_BACKOFF } from '../../workers/auth/sign-in-limits'
import { BASE, clientIp, signUp, unique } from './helpers'

const app = createApp()

/** Calls the Worker with some variables changed, as a deployment with that configuration would run. */
async function callWith(vars: Partial<Env>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const request = new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const res = await app.fetch(request, { ...env, ...vars }, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const login = (email: string, password: string, ip = clientIp(), vars: Partial<Env> = {}) =>
  callWith(vars, '/v1/auth/login', { email, password }, { 'cf-connecting-ip': ip })

/** Lets the account's current delay run out without waiting for it (the object's clock cannot be moved). */
async function elapseDelay(email: string): Promise<void> {
  const stub = env.RATE_LIMITER.getByName(`sign-in:account:${email.toLowerCase()}`)
  await runInDurableObject(stub, (_instance: RateLimiter, state) => {
    state.storage.sql.exec('UPDATE backoff SET next_allowed_ms = 0')
  })
}

describe('client IP key', () => {
  const headers = (value: string) => new Headers({ 'cf-connecting-ip': value, 'x-forwarded-for': `203.0.113.9, ${value}` })

  it('believes the header only when TRUST_CLIENT_IP_HEADER names it', () => {
    expect(clientKey(headers('192.0.2.7'), 'cf-connecting-ip')).toBe('v4:192.0.2.7')
    expect(clientKey(headers('192.0.2.7'), 'CF-Connecting-IP')).toBe('v4:192.0.2.7')
    expect(clientKey(headers('192.0.2.7'), '')).toBe(UNKNOWN_CLIENT)
    expect(clientKey(headers('192.0.2.7'), undefined)).toBe(UNKNOWN_CLIENT)
    expect(clientKey(new Headers(), 'cf-connecting-ip')).toBe(UNKNOWN_CLIENT)
    expect(clientKey(headers('192.0.2.7'), 'x-forwarded-for')).toBe('v4:192.0.2.7')
  })

  it('keys IPv6 by its /64 and IPv4-mapped IPv6 as IPv4', () => {
    const a = clientKey(headers('2001:db8:aa:bb:1:2:3:4'), 'cf-connecting-ip')
    expect(a).toBe('v6:2001:db8:aa:bb::/64')
    expect(clientKey(headers('2001:0DB8:00aa:00bb:ffff::1'), 'cf-connecting-ip')).toBe(a)
    expect(clientKey(headers('[2001:db8:aa:bb::9]'), 'cf-connecting-ip')).toBe(a)
    expect(clientKey(headers('2001:db8:aa:bc::1'), 'cf-connecting-ip')).not.toBe(a)
    expect(clientKey(headers('::ffff:192.0.2.7'), 'cf-connecting-ip')).toBe('v4:192.0.2.7')
  })

  it('turns absurd values into the one unknown key instead of new keys', () => {
    for (const value of ['x'.repeat(10_000), 'not-an-ip', '999.1.1.1', '1.2.3.4.5', `${'1:'.repeat(40)}1`, '', '<script>', '1.2.3.4; drop']) {
      expect(clientKey(headers(value), 'cf-connecting-ip')).toBe(UNKNOWN_CLIENT)
    }
  })
})

describe('sign-in limit per client IP', { timeout: 120_000 }, () => {
  it('ignores a spoofed CF-Connecting-IP when no header is trusted: every client shares one budget', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) {
      const res = await login(`${unique('spray')}@example.com`, 'wrong-password', clientIp(), { TRUST_CLIENT_IP_HEADER: '' })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true)
    expect(statuses[30]).toBe(429)
    // The same spoofed addresses are separate clients when the header is trusted (Cloudflare's edge).
    const trusted = await login(`${unique('spray')}@example.com`, 'wrong-password', clientIp())
    expect(trusted.status).toBe(401)
  })

  it('counts every address of one IPv6 /64 as one client', async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`
    let last = 0
    for (let i = 0; i < 31; i++) last = (await login(`${unique('v6')}@example.com`, 'wrong-password', `${prefix}:${i.toString(16)}::1`)).status
    expect(last).toBe(429)
    expect((await login(`${unique('v6')}@example.com`, 'wrong-password', `${prefix}1::1`)).status).toBe(401)
  })

  it('creates no limiter object per absurd header value', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) statuses.push((await login(`${unique('junk')}@example.com`, 'x', `${'z'.repeat(500)}${i}`)).status)
    expect(statuses[30]).toBe(429)
  })
})

describe('per-account progressive delay', { timeout: 120_000 }, () => {
  it('grows after the free attempts, resets on success, and never exceeds its bound', async () => {
    const account = await signUp()
    for (let i = 0; i < SIGN_IN_BACKOFF.freeAttempts; i++) expect((await login(account.email, `wrong-${i}`)).status).toBe(401)

    const waits: number[] = []
    for (let round = 0; round < 4; round++) {
      const refused = await login(account.email, 'wrong-again')
      expect(refused.status).toBe(429)
      expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } })
      waits.push(Number(refused.headers.get('retry-after')))
      // Even the right password waits: the delay is decided before the password is checked.
      expect((await login(account.email, account.password)).status).toBe(429)
      await elapseDelay(account.email)
      expect((await login(account.email, 'wrong-again')).status).toBe(401)
    }
    // Retry-After counts from the previous attempt, so a slow machine may see a second less.
    ;[2, 4, 8, 16].forEach((expected, i) => expect(waits[i]).toBeOneOf([expected - 1, expected]))

    await elapseDelay(account.email)
    expect((await login(account.email, account.password)).status).toBe(200)
    // A success forgets every failure: the free attempts are back.
    for (let i = 0; i < SIGN_IN_BACKOFF.freeAttempts; i++) expect((await login(account.email, `wrong-${i}`)).status).toBe(401)
  })

  it('caps the delay, so a guesser can hold the owner off for minutes at most', async () => {
    const account = await signUp()
    for (let i = 0; i < 20; i++) {
      await elapseDelay(account.email).catch(() => undefined)
      await login(account.email, `wrong-${i}`)
    }
    const refused = await login(account.email, account.password)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeOneOf([SIGN_IN_BACKOFF.maxDelaySeconds - 1, SIGN_IN_BACKOFF.maxDelaySeconds])
    await elapseDelay(account.email)
    expect((await login(account.email, account.password)).status).toBe(200)
  })

  it('delays an account the same whether it exists or not (no enumeration)', async () => {
    const ghost = `${unique('ghost')}@example.com`
    for (let i = 0; i < SIGN_IN_BACKOFF.freeAttempts; i++) expect((await login(ghost, 'nope-nope')).status).toBe(401)
    const refused = await login(ghost, 'nope-nope')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBeOneOf(['1', '2'])
  })
})

describe('registration limit per client IP', { timeout: 120_000 }, () => {
  const register = (ip: string, vars: Partial<Env> = {}, body: unknown = { email: `${unique('reg')}@example.com`, password: 'long enough pw', tenantName: unique('Shop') }) =>
    callWith(vars, '/v1/auth/register', body, { 'cf-connecting-ip': ip })

  it(`allows REGISTRATIONS_PER_IP_PER_HOUR (default ${env.REGISTRATIONS_PER_IP_PER_HOUR}) attempts per IP, refused ones included`, async () => {
    expect(env.REGISTRATIONS_PER_IP_PER_HOUR).toBe('20')
    const ip = clientIp()
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) statuses.push((await register(ip, {}, i % 2 ? { email: 'not-an-email' } : undefined)).status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(10)
    expect(statuses.filter((s) => s === 400)).toHaveLength(10)
    const refused = await register(ip)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } } })
    expect((await register(clientIp())).status).toBe(201)
  })

  it('follows the configured number and the IP trust rule', async () => {
    const vars = { REGISTRATIONS_PER_IP_PER_HOUR: '2' }
    const ip = clientIp()
    expect((await register(ip, vars)).status).toBe(201)
    expect((await register(ip, vars, {})).status).toBe(400)
    expect((await register(ip, vars)).status).toBe(429)
    const untrusted = { ...vars, TRUST_CLIENT_IP_HEADER: '' }
    expect((await register(clientIp(), untrusted)).status).toBe(201)
    expect((await register(clientIp(), untrusted)).status).toBe(201)
    expect((await register(clientIp(), untrusted)).status).toBe(429)
  })
})
