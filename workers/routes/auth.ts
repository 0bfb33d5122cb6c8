// Sign-up, sign-in, token refresh, sign-out and "who am I" for tenant members.
import { createRoute, z } from '@hono/zod-openapi'
import { createMiddleware } from 'hono/factory'
import { eq } from 'drizzle-orm'
import { checkSignIn, registerAccount } from '../auth/accounts'
import { asMember } from '../auth/context'
import { sendEmailVerification } from '../auth/email-verification'
import { endSession, rotateSession, startSession } from '../auth/sessions'
import { clientKey } from '../auth/client-ip'
import { clearRefreshCookie, readRefreshCookie, REFRESH_COOKIE, REFRESH_COOKIE_PATH, setRefreshCookie } from '../auth/refresh-cookie'
import { limitRegistration, limitSignIn, signInSucceeded } from '../auth/sign-in-limits'
import type { Database } from '../db/client'
import { tenants, users } from '../db/schema/tenants'
import { emailSender, publicOrigin } from '../email/sender'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { RoleSchema, TenantSchema, tenantJson, UserSchema, userJson } from '../lib/schemas'
import type { AppEnv } from '../lib/app-env'
import { requireMember } from '../middleware/authenticate'

const MIN_PASSWORD_LENGTH = 8
const MAX_PASSWORD_LENGTH = 256

const EmailSchema = z.email().max(254).openapi({ example: 'owner@shop.example' })
const PasswordSchema = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH)

const RegisterSchema = z
  .object({ email: EmailSchema, password: PasswordSchema, tenantName: z.string().trim().min(1).max(100), name: z.string().trim().max(100).optional() })
  .openapi('RegisterRequest')
const LoginSchema = z
  .object({
    email: EmailSchema,
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    tenant: z.string().max(100).optional().openapi({ description: 'Tenant id or slug; defaults to the oldest membership' }),
  })
  .openapi('LoginRequest')
const RefreshSchema = z
  .object({
    refreshToken: z.string().min(1).max(200).optional().openapi({ description: `Non-browser clients; browsers send the \`${REFRESH_COOKIE}\` cookie instead` }),
  })
  .openapi('RefreshRequest')
/** The request body of refresh and logout: optional, since a browser's token comes as the cookie. */
const refreshBody = { required: false, content: { 'application/json': { schema: RefreshSchema } } }
const refreshCookie = z.object({ [REFRESH_COOKIE]: z.string().optional().openapi({ description: 'The refresh token, set by sign-in, sign-up and refresh' }) })

const TokensSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string().optional().openapi({ description: 'The next refresh token; absent when the request sent the cookie (it is then in the cookie only)' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().openapi({ description: 'Seconds until the access token expires' }),
  })
  .openapi('Tokens')
/** Languages of the admin UI a person can choose; null means "follow the browser". */
const UI_LOCALES = ['es-MX', 'en'] as const
const LocaleSchema = z.enum(UI_LOCALES).nullable().openapi({ description: 'Admin UI language; null follows the browser' })
const SelfSchema = UserSchema.extend({ locale: LocaleSchema }).openapi('Self')
const SessionSchema = TokensSchema.extend({
  refreshToken: z.string().openapi({ description: `Also set as the HttpOnly \`${REFRESH_COOKIE}\` cookie (path ${REFRESH_COOKIE_PATH})` }),
  user: SelfSchema,
  tenant: TenantSchema,
  role: RoleSchema,
}).openapi('Session')
const MeSchema = z.object({ user: SelfSchema, tenant: TenantSchema, role: RoleSchema }).openapi('Me')
const MePatchSchema = z.object({ locale: LocaleSchema }).openapi('MePatch')

function selfJson(u: { id: string; email: string; name: string | null; locale: string | null }) {
  const locale = UI_LOCALES.find((l) => l === u.locale) ?? null
  return { ...userJson(u), locale }
}

/** Counts every registration attempt against the client IP's hourly budget, before the body is even validated. */
const registrationLimit = createMiddleware<AppEnv>(async (c, next) => {
  await limitRegistration(c.env, clientKey(c.req.raw.headers, c.env.TRUST_CLIENT_IP_HEADER))
  await next()
})

const register = createRoute({
  method: 'post',
  path: '/v1/auth/register',
  tags: ['Auth'],
  summary: 'Create an account and its shop (tenant)',
  middleware: registrationLimit,
  request: { body: jsonBody(RegisterSchema) },
  responses: {
    201: jsonResponse('Signed up and signed in', SessionSchema),
    400: errorResponse('Invalid input'),
    409: errorResponse('Email already registered'),
    429: errorResponse('Too many registrations from this client IP (REGISTRATIONS_PER_IP_PER_HOUR)'),
  },
})

const login = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  tags: ['Auth'],
  summary: 'Sign in with email and password',
  request: { body: jsonBody(LoginSchema) },
  responses: {
    200: jsonResponse('Signed in', SessionSchema),
    400: errorResponse('Invalid input'),
    401: errorResponse('Wrong email or password'),
    429: errorResponse('Too many attempts from this client IP, or the account is in its progressive delay (Retry-After)'),
  },
})

const refresh = createRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  tags: ['Auth'],
  summary: 'Exchange a refresh token (the cookie, or the body) for a new pair; the old one is used up',
  request: { body: refreshBody, cookies: refreshCookie },
  responses: {
    200: jsonResponse('New tokens; the refresh token is set as the cookie', TokensSchema),
    400: errorResponse('Invalid input'),
    401: errorResponse('Missing, invalid, used or revoked refresh token'),
  },
})

const logout = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  tags: ['Auth'],
  summary: 'Sign out: revoke the session of a refresh token (the cookie, or the body) and clear the cookie',
  request: { body: refreshBody, cookies: refreshCookie },
  responses: { 204: { description: 'Signed out' }, 400: errorResponse('Invalid input') },
})

const me = createRoute({
  method: 'get',
  path: '/v1/auth/me',
  tags: ['Auth'],
  summary: 'The signed-in member, their tenant and role',
  middleware: requireMember(),
  security: MEMBER_CREDENTIAL,
  responses: { 200: jsonResponse('The caller', MeSchema), 401: errorResponse('Not signed in') },
})

const patchMe = createRoute({
  method: 'patch',
  path: '/v1/auth/me',
  tags: ['Auth'],
  summary: "Change the signed-in person's own preferences (the admin UI language)",
  middleware: requireMember(),
  security: MEMBER_CREDENTIAL,
  request: { body: jsonBody(MePatchSchema) },
  responses: {
    200: jsonResponse('The caller, updated', MeSchema),
    400: errorResponse('Invalid input'),
    401: errorResponse('Not signed in'),
    403: errorResponse('An API key, not a member'),
  },
})

async function loadMe(db: Database, userId: string, tenantId: string) {
  const [[user], [tenant]] = await Promise.all([db.select().from(users).where(eq(users.id, userId)), db.select().from(tenants).where(eq(tenants.id, tenantId))])
  if (!user || !tenant) throw new ApiError('unauthorized', 'The account behind this token no longer exists')
  return { user: selfJson(user), tenant: tenantJson(tenant) }
}

export const authRoutes = createRouter()
  .openapi(register, async (c) => {
    const input = c.req.valid('json')
    const db = c.var.db.get()
    const { user, tenant } = await registerAccount(db, input)
    c.set('tenantId', tenant.id)
    await sendEmailVerification(db, emailSender(c.env), publicOrigin(c), user)
    const session = await startSession(db, c.env.JWT_SECRET, user.id, tenant.id, 'owner')
    setRefreshCookie(c, session.refreshToken)
    return c.json({ ...session, tokenType: 'Bearer' as const, user: selfJson(user), tenant: tenantJson(tenant) }, 201)
  })
  .openapi(login, async (c) => {
    const input = c.req.valid('json')
    await limitSignIn(c.env, input.email, clientKey(c.req.raw.headers, c.env.TRUST_CLIENT_IP_HEADER))
    const db = c.var.db.get()
    const { user, tenant, role } = await checkSignIn(db, input.email, input.password, input.tenant)
    await signInSucceeded(c.env, input.email)
    c.set('tenantId', tenant.id)
    const session = await startSession(db, c.env.JWT_SECRET, user.id, tenant.id, role)
    setRefreshCookie(c, session.refreshToken)
    return c.json({ ...session, tokenType: 'Bearer' as const, user: selfJson(user), tenant: tenantJson(tenant) }, 200)
  })
  .openapi(refresh, async (c) => {
    const fromBody = c.req.valid('json').refreshToken
    const presented = fromBody ?? readRefreshCookie(c)
    if (!presented) throw new ApiError('unauthorized', 'No refresh token: send the cookie or {"refreshToken"}')
    const { accessToken, refreshToken, expiresIn, tenantId } = await rotateSession(c.var.db.get(), c.env.JWT_SECRET, presented)
    c.set('tenantId', tenantId)
    setRefreshCookie(c, refreshToken)
    return c.json({ accessToken, ...(fromBody ? { refreshToken } : {}), expiresIn, tokenType: 'Bearer' as const }, 200)
  })
  .openapi(logout, async (c) => {
    const presented = c.req.valid('json').refreshToken ?? readRefreshCookie(c)
    if (presented) await endSession(c.var.db.get(), presented)
    clearRefreshCookie(c)
    return c.body(null, 204)
  })
  .openapi(me, async (c) => {
    const caller = asMember(c.var.caller)
    return c.json({ ...(await loadMe(c.var.db.get(), caller.userId, caller.tenantId)), role: caller.role }, 200)
  })
  .openapi(patchMe, async (c) => {
    const caller = asMember(c.var.caller)
    const db = c.var.db.get()
    await db.update(users).set({ locale: c.req.valid('json').locale }).where(eq(users.id, caller.userId))
    return c.json({ ...(await loadMe(db, caller.userId, caller.tenantId)), role: caller.role }, 200)
  })
