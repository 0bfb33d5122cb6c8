// Sign-up, sign-in, token refresh, sign-out and "who am I" for tenant members.
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { checkSignIn, registerAccount } from '../auth/accounts'
import { asMember } from '../auth/context'
import { endSession, rotateSession, startSession } from '../auth/sessions'
import { limitSignIn } from '../auth/sign-in-limits'
import type { Database } from '../db/client'
import { tenants, users } from '../db/schema/tenants'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { RoleSchema, TenantSchema, tenantJson, UserSchema, userJson } from '../lib/schemas'
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
const RefreshSchema = z.object({ refreshToken: z.string().min(1).max(200) }).openapi('RefreshRequest')

const TokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().openapi({ description: 'Seconds until the access token expires' }),
})
/** Languages of the admin UI a person can choose; null means "follow the browser". */
const UI_LOCALES = ['es-MX', 'en'] as const
const LocaleSchema = z.enum(UI_LOCALES).nullable().openapi({ description: 'Admin UI language; null follows the browser' })
const SelfSchema = UserSchema.extend({ locale: LocaleSchema }).openapi('Self')
const SessionSchema = TokensSchema.extend({ user: SelfSchema, tenant: TenantSchema, role: RoleSchema }).openapi('Session')
const MeSchema = z.object({ user: SelfSchema, tenant: TenantSchema, role: RoleSchema }).openapi('Me')
const MePatchSchema = z.object({ locale: LocaleSchema }).openapi('MePatch')

function selfJson(u: { id: string; email: string; name: string | null; locale: string | null }) {
  const locale = UI_LOCALES.find((l) => l === u.locale) ?? null
  return { ...userJson(u), locale }
}


const register = createRoute({
  method: 'post',
  path: '/v1/auth/register',
  tags: ['Auth'],
  summary: 'Create an account and its shop (tenant)',
  request: { body: jsonBody(RegisterSchema) },
  responses: { 201: jsonResponse('Signed up and signed in', SessionSchema), 400: errorResponse('Invalid input'), 409: errorResponse('Email already registered') },
})

const login = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  tags: ['Auth'],
  summary: 'Sign in with email and password',
  request: { body: jsonBody(LoginSchema) },
  responses: { 200: jsonResponse('Signed in', SessionSchema), 401: errorResponse('Wrong email or password'), 429: errorResponse('Too many attempts') },
})

const refresh = createRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  tags: ['Auth'],
  summary: 'Exchange a refresh token for a new pair (the old one is used up)',
  request: { body: jsonBody(RefreshSchema) },
  responses: { 200: jsonResponse('New tokens', TokensSchema), 401: errorResponse('Invalid, used or revoked refresh token') },
})

const logout = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  tags: ['Auth'],
  summary: 'Sign out: revoke the session of a refresh token',
  request: { body: jsonBody(RefreshSchema) },
  responses: { 204: { description: 'Signed out' } },
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
    const session = await startSession(db, c.env.JWT_SECRET, user.id, tenant.id, 'owner')
    return c.json({ ...session, tokenType: 'Bearer' as const, user: selfJson(user), tenant: tenantJson(tenant) }, 201)
  })
  .openapi(login, async (c) => {
    const input = c.req.valid('json')
    await limitSignIn(c.env, input.email, c.req.header('cf-connecting-ip') ?? 'unknown')
    const db = c.var.db.get()
    const { user, tenant, role } = await checkSignIn(db, input.email, input.password, input.tenant)
    c.set('tenantId', tenant.id)
    const session = await startSession(db, c.env.JWT_SECRET, user.id, tenant.id, role)
    return c.json({ ...session, tokenType: 'Bearer' as const, user: selfJson(user), tenant: tenantJson(tenant) }, 200)
  })
  .openapi(refresh, async (c) => {
    const { accessToken, refreshToken, expiresIn, tenantId } = await rotateSession(c.var.db.get(), c.env.JWT_SECRET, c.req.valid('json').refreshToken)
    c.set('tenantId', tenantId)
    return c.json({ accessToken, refreshToken, expiresIn, tokenType: 'Bearer' as const }, 200)
  })
  .openapi(logout, async (c) => {
    await endSession(c.var.db.get(), c.req.valid('json').refreshToken)
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
