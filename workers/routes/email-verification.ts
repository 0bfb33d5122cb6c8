// Email verification routes: use the link sent at sign-up while signed in to that account, or ask for a new one.
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { asMember } from '../auth/context'
import { sendEmailVerification, verifyEmail } from '../auth/email-verification'
import { users } from '../db/schema/tenants'
import { emailSender, publicOrigin } from '../email/sender'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { requireMember } from '../middleware/authenticate'

const verify = createRoute({
  method: 'post',
  path: '/v1/auth/verify-email',
  tags: ['Auth'],
  summary: "Confirm the signed-in account's email with the token of its verification link",
  middleware: requireMember(),
  security: MEMBER_CREDENTIAL,
  request: { body: jsonBody(z.object({ token: z.string().min(1).max(200) }).openapi('VerifyEmailRequest')) },
  responses: {
    200: jsonResponse('Verified', z.object({ verified: z.literal(true), email: z.string() }).openapi('EmailVerified')),
    400: errorResponse('Unknown, used or expired token, or one sent for another account'),
    401: errorResponse('Not signed in, or no longer a member'),
    403: errorResponse('An API key, not a member'),
  },
})

const resend = createRoute({
  method: 'post',
  path: '/v1/auth/verify-email/resend',
  tags: ['Auth'],
  summary: "Send a new verification link to the signed-in account's email",
  middleware: requireMember(),
  security: MEMBER_CREDENTIAL,
  responses: {
    202: jsonResponse('Sent (or already verified)', z.object({ verified: z.boolean() }).openapi('VerificationResent')),
    401: errorResponse('Not signed in, or no longer a member'),
    403: errorResponse('An API key, not a member'),
  },
})

export const emailVerificationRoutes = createRouter()
  .openapi(verify, async (c) => {
    const { email } = await verifyEmail(c.var.db.get(), c.req.valid('json').token, asMember(c.var.caller).userId)
    return c.json({ verified: true as const, email }, 200)
  })
  .openapi(resend, async (c) => {
    const caller = asMember(c.var.caller)
    const db = c.var.db.get()
    const [user] = await db.select().from(users).where(eq(users.id, caller.userId))
    if (!user) throw new ApiError('unauthorized', 'The account behind this token no longer exists')
    if (!user.emailVerifiedAt) await sendEmailVerification(db, emailSender(c.env), publicOrigin(c), user)
    return c.json({ verified: user.emailVerifiedAt !== null }, 202)
  })
