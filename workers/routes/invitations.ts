// Invitations: managers invite an email with a role (the link is shown to copy, and emailed once a provider exists),
// list and revoke pending ones; the invitee accepts with a new password or with the session of the matching account.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq, isNull } from 'drizzle-orm'
import { verifyAccessToken } from '../auth/access-token'
import { looksLikeApiKey } from '../auth/api-key-format'
import { asMember } from '../auth/context'
import { sendEmailVerification } from '../auth/email-verification'
import { acceptInvitation, createInvitation, invitationStatus, invitationUrl, revokeInvitation, type Acceptor, type InvitationRow } from '../auth/invitations'
import { forgetMembership } from '../auth/memberships'
import { setRefreshCookie } from '../auth/refresh-cookie'
import { startSession } from '../auth/sessions'
import { invitations } from '../db/schema/invitations'
import { emailSender, publicOrigin } from '../email/sender'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, jsonBody, jsonResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { newestFirst, olderThan, pageOf, PageQuerySchema, timestampText, toPage } from '../lib/pagination'
import { hashPassword } from '../lib/password'
import { RoleSchema, TenantSchema, tenantJson, UserSchema, userJson, UuidParamSchema } from '../lib/schemas'
import { requireMember } from '../middleware/authenticate'
import { assertMayGrant } from './members'

const InvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi('Invitation')
const CreatedInvitationSchema = InvitationSchema.extend({
  url: z.string().openapi({ description: 'The single-use link to send the invitee; shown only in this response' }),
  emailed: z.boolean().openapi({ description: 'Whether an email provider sent the link; otherwise copy the url' }),
}).openapi('CreatedInvitation')
const InviteSchema = z.object({ email: z.email().max(254), role: RoleSchema }).openapi('Invite')
const AcceptSchema = z
  .object({
    password: z.string().min(8).max(256).optional().openapi({ description: 'For someone without an account: the password of the new account' }),
    name: z.string().trim().max(100).optional(),
  })
  .openapi('AcceptInvitation')
const AcceptedSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number(),
    user: UserSchema,
    tenant: TenantSchema,
    role: RoleSchema,
  })
  .openapi('AcceptedInvitation')
const TokenParam = z.object({ token: z.string().min(1).max(200).openapi({ param: { name: 'token', in: 'path' } }) })

/** No credential (someone new) or a member's access token (an existing account). */
const OPTIONAL_MEMBER_CREDENTIAL: Record<string, string[]>[] = [{}, { bearerAuth: [] }]

const managers = requireMember('owner', 'admin')
const managerErrors = {
  400: errorResponse('Invalid input'),
  401: errorResponse('Not signed in, or no longer a member'),
  403: errorResponse('Not an owner or admin (only owners invite owners)'),
}

const create = createRoute({
  method: 'post',
  path: '/v1/members/invitations',
  tags: ['Members'],
  summary: 'Invite an email with a role (owners and admins); the single-use link is valid 7 days',
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { body: jsonBody(InviteSchema) },
  responses: { 201: jsonResponse('Invited', CreatedInvitationSchema), ...managerErrors, 409: errorResponse('Already a member, or an invitation is pending') },
})

const list = createRoute({
  method: 'get',
  path: '/v1/members/invitations',
  tags: ['Members'],
  summary: 'Open invitations (pending or expired, not accepted or revoked), newest first',
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse('A page of invitations', pageOf(InvitationSchema)), ...managerErrors },
})

const revoke = createRoute({
  method: 'delete',
  path: '/v1/members/invitations/{id}',
  tags: ['Members'],
  summary: 'Revoke a pending invitation (owners and admins)',
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 204: { description: 'Revoked' }, ...managerErrors, 404: errorResponse('No pending invitation with this id in this tenant') },
})

const accept = createRoute({
  method: 'post',
  path: '/v1/invitations/{token}/accept',
  tags: ['Members'],
  summary: 'Accept an invitation: with a password (new account) or signed in as the invited email (verified)',
  description: 'Send `Authorization: Bearer <access token>` of the account whose email was invited, or `{password}` when no account exists for it. Answers a session in the tenant that invited.',
  security: OPTIONAL_MEMBER_CREDENTIAL,
  request: { params: TokenParam, body: jsonBody(AcceptSchema) },
  responses: {
    200: jsonResponse('Joined; signed in to the tenant', AcceptedSchema),
    400: errorResponse('Invalid input, or no password and not signed in'),
    401: errorResponse('The access token is invalid or expired'),
    403: errorResponse('Signed in as another email (invitation_email_mismatch), or that email is not verified (email_unverified)'),
    404: errorResponse('No such invitation'),
    409: errorResponse('An account exists for the email (account_exists: sign in first), or already a member'),
    410: errorResponse('Invitation expired, used or revoked'),
  },
})

const invitationJson = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  status: invitationStatus(row),
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
})

/** The bearer credential of an accept request: an access token names the accepting account; anything else is a 401. */
async function signedInUser(authorization: string | undefined, secret: string): Promise<string | null> {
  if (!authorization) return null
  const token = authorization.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
  const claims = token && !looksLikeApiKey(token) ? await verifyAccessToken(token, secret) : null
  if (!claims) throw new ApiError('unauthorized', 'The access token is invalid or expired', { headers: { 'WWW-Authenticate': 'Bearer' } })
  return claims.userId
}

export const invitationRoutes = createRouter()
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = asMember(c.var.caller)
    assertMayGrant(caller, input.role)
    const { row, token } = await createInvitation(c.var.db.get(), caller, input)
    const url = invitationUrl(publicOrigin(c), token)
    const sender = emailSender(c.env)
    await sender.send({ to: row.email, kind: 'invitation', subject: 'You are invited to a shop on Vitrina', text: `Join as ${row.role}: ${url} (valid 7 days).`, url })
    return c.json({ ...invitationJson(row), url, emailed: sender.delivers }, 201)
  })
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const rows = await c.var.db
      .get()
      .select({ invitation: invitations, createdAtText: timestampText(invitations.createdAt) })
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, c.var.caller.tenantId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          olderThan(invitations.createdAt, invitations.id, cursor),
        ),
      )
      .orderBy(...newestFirst(invitations.createdAt, invitations.id))
      .limit(limit + 1)
    return c.json(toPage(rows, limit, (r) => invitationJson(r.invitation), (r) => [r.createdAtText, r.invitation.id]), 200)
  })
  .openapi(revoke, async (c) => {
    await revokeInvitation(c.var.db.get(), asMember(c.var.caller), c.req.valid('param').id)
    return c.body(null, 204)
  })
  .openapi(accept, async (c) => {
    const { token } = c.req.valid('param')
    const input = c.req.valid('json')
    const userId = await signedInUser(c.req.header('authorization'), c.env.JWT_SECRET)
    let acceptor: Acceptor
    if (userId) acceptor = { kind: 'signed_in', userId }
    else if (input.password) acceptor = { kind: 'new', passwordHash: await hashPassword(input.password), name: input.name ?? null }
    else {
      throw new ApiError('invalid_request', 'Send a password for a new account, or accept while signed in', {
        details: [{ in: 'json', path: 'password', message: 'required unless signed in', code: 'custom' }],
      })
    }
    const db = c.var.db.get()
    const accepted = await acceptInvitation(db, token, acceptor)
    c.set('tenantId', accepted.tenant.id)
    forgetMembership(accepted.tenant.id, accepted.user.id)
    if (accepted.created) await sendEmailVerification(db, emailSender(c.env), publicOrigin(c), accepted.user)
    const session = await startSession(db, c.env.JWT_SECRET, accepted.user.id, accepted.tenant.id, accepted.role)
    // Like sign-in: a browser resumes this session from the HttpOnly cookie after a reload.
    setRefreshCookie(c, session.refreshToken)
    return c.json(
      {
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        expiresIn: session.expiresIn,
        tokenType: 'Bearer' as const,
        user: userJson(accepted.user),
        tenant: tenantJson(accepted.tenant),
        role: accepted.role,
      },
      200,
    )
  })
