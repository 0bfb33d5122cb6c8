// People of the caller's tenant and their roles: owners and admins change and remove members (people join through
// invitations, routes/invitations.ts); the last owner stays, nobody raises their own role, and a change applies at once.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { asMember, type UserCaller } from '../auth/context'
import { afterRevocation, revokeKeysCreatedBy, type RevokedKey } from '../auth/revocation'
import { isManager } from '../auth/scopes'
import type { Database } from '../db/client'
import { invitations } from '../db/schema/invitations'
import { MEMBER_ROLES, memberships, users, type MemberRole } from '../db/schema/tenants'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, jsonBody, MEMBER_CREDENTIAL } from '../lib/openapi'
import { RoleSchema, UserSchema } from '../lib/schemas'
import { requireMember } from '../middleware/authenticate'

const MemberSchema = z.object({ user: UserSchema, role: RoleSchema, joinedAt: z.string() }).openapi('Member')
const UserIdParam = z.object({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) })

const managers = requireMember('owner', 'admin')

/** Only owners may hand out, take away or change the owner role. */
export function assertMayGrant(caller: UserCaller, ...roles: MemberRole[]): void {
  if (caller.role !== 'owner' && roles.includes('owner')) throw new ApiError('forbidden', 'Only an owner can grant or change the owner role')
}

/** True when `next` is a stronger role than `current` (MEMBER_ROLES lists the strongest first). */
const raises = (current: MemberRole, next: MemberRole) => MEMBER_ROLES.indexOf(next) < MEMBER_ROLES.indexOf(current)

async function memberRole(db: Database, tenantId: string, userId: string): Promise<MemberRole> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .for('update')
  if (!row) throw new ApiError('not_found', 'No such member in this tenant')
  return row.role
}

async function assertAnotherOwner(db: Database, tenantId: string): Promise<void> {
  const owners = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')))
    .for('update')
  if (owners.length <= 1) throw new ApiError('last_owner', 'The last owner cannot be removed or demoted; make someone else owner first')
}

const list = createRoute({
  method: 'get',
  path: '/v1/members',
  tags: ['Members'],
  summary: 'Members of the tenant and their roles',
  middleware: requireMember(),
  security: MEMBER_CREDENTIAL,
  responses: {
    200: { description: 'Members', content: { 'application/json': { schema: z.object({ data: z.array(MemberSchema) }) } } },
    401: errorResponse('Not signed in, or no longer a member'),
    403: errorResponse('An API key, not a member'),
  },
})

const change = createRoute({
  method: 'patch',
  path: '/v1/members/{userId}',
  tags: ['Members'],
  summary: "Change a member's role (owners and admins)",
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { params: UserIdParam, body: jsonBody(z.object({ role: RoleSchema }).openapi('ChangeRole')) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: MemberSchema } } },
    400: errorResponse('Invalid input'),
    401: errorResponse('Not signed in, or no longer a member'),
    403: errorResponse('Not a manager, owner role without being owner, or raising your own role'),
    404: errorResponse('No such member'),
    409: errorResponse('Last owner'),
  },
})

const remove = createRoute({
  method: 'delete',
  path: '/v1/members/{userId}',
  tags: ['Members'],
  summary: 'Remove a member (owners and admins)',
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { params: UserIdParam },
  responses: {
    204: { description: 'Removed' },
    400: errorResponse('Invalid member id'),
    401: errorResponse('Not signed in, or no longer a member'),
    403: errorResponse('Not a manager, or the owner role without being owner'),
    404: errorResponse('No such member'),
    409: errorResponse('Last owner'),
  },
})

const memberJson = (u: { id: string; email: string; name: string | null }, role: MemberRole, joinedAt: Date) => ({
  user: { id: u.id, email: u.email, name: u.name },
  role,
  joinedAt: joinedAt.toISOString(),
})

export const memberRoutes = createRouter()
  .openapi(list, async (c) => {
    const rows = await c.var.db
      .get()
      .select({ user: users, role: memberships.role, joinedAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, c.var.caller.tenantId))
      .orderBy(asc(memberships.createdAt), asc(users.email))
    return c.json({ data: rows.map((r) => memberJson(r.user, r.role, r.joinedAt)) }, 200)
  })
  .openapi(change, async (c) => {
    const { userId } = c.req.valid('param')
    const { role } = c.req.valid('json')
    const caller = asMember(c.var.caller)
    const { member, keys } = await c.var.db.get().transaction(async (tx) => {
      const current = await memberRole(tx, caller.tenantId, userId)
      assertMayGrant(caller, current, role)
      if (userId === caller.userId && raises(current, role)) throw new ApiError('forbidden', 'Nobody can raise their own role')
      if (current === 'owner' && role !== 'owner') await assertAnotherOwner(tx, caller.tenantId)
      const [updated] = await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.tenantId, caller.tenantId), eq(memberships.userId, userId)))
        .returning()
      const [user] = await tx.select().from(users).where(eq(users.id, userId))
      if (!updated || !user) throw new ApiError('not_found', 'No such member in this tenant')
      const revokedKeys: RevokedKey[] = isManager(current) && !isManager(role) ? await revokeKeysCreatedBy(tx, caller.tenantId, userId) : []
      await recordAudit(tx, caller, {
        action: 'member.role_changed',
        targetType: 'user',
        targetId: userId,
        details: { from: current, to: role, revokedKeys: revokedKeys.map((k) => k.id) },
      })
      return { member: memberJson(user, updated.role, updated.createdAt), keys: revokedKeys }
    })
    await afterRevocation(c.env, () => c.var.db.get(), caller.tenantId, { userIds: [userId], keys })
    return c.json(member, 200)
  })
  .openapi(remove, async (c) => {
    const { userId } = c.req.valid('param')
    const caller = asMember(c.var.caller)
    const keys = await c.var.db.get().transaction(async (tx) => {
      const current = await memberRole(tx, caller.tenantId, userId)
      assertMayGrant(caller, current)
      if (current === 'owner') await assertAnotherOwner(tx, caller.tenantId)
      await tx.delete(memberships).where(and(eq(memberships.tenantId, caller.tenantId), eq(memberships.userId, userId)))
      await tx.execute(sql`update refresh_tokens set revoked_at = now() where user_id = ${userId} and tenant_id = ${caller.tenantId} and revoked_at is null`)
      const revokedKeys = await revokeKeysCreatedBy(tx, caller.tenantId, userId)
      await tx
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(and(eq(invitations.tenantId, caller.tenantId), eq(invitations.invitedBy, userId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      await recordAudit(tx, caller, { action: 'member.removed', targetType: 'user', targetId: userId, details: { role: current, revokedKeys: revokedKeys.map((k) => k.id) } })
      return revokedKeys
    })
    await afterRevocation(c.env, () => c.var.db.get(), caller.tenantId, { userIds: [userId], keys })
    return c.body(null, 204)
  })
