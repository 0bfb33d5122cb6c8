// People of the caller's tenant and their roles: owners and admins add, change and remove members; the last owner stays.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, sql } from 'drizzle-orm'
import { findUserByEmail } from '../auth/accounts'
import { asMember, type UserCaller } from '../auth/context'
import type { Database } from '../db/client'
import { memberships, users, type MemberRole } from '../db/schema/tenants'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { createRouter, errorResponse, jsonBody, MEMBER_CREDENTIAL } from '../lib/openapi'
import { hashPassword } from '../lib/password'
import { RoleSchema, UserSchema } from '../lib/schemas'
import { requireMember } from '../middleware/authenticate'

const MemberSchema = z.object({ user: UserSchema, role: RoleSchema, joinedAt: z.string() }).openapi('Member')
const AddMemberSchema = z
  .object({
    email: z.email().max(254),
    role: RoleSchema,
    name: z.string().trim().max(100).optional(),
    password: z.string().min(8).max(256).optional().openapi({ description: 'Initial password; required when no account exists for the email' }),
  })
  .openapi('AddMember')
const UserIdParam = z.object({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) })

const managers = requireMember('owner', 'admin')

/** Only owners may hand out, take away or change the owner role. */
function assertMayGrant(caller: UserCaller, ...roles: MemberRole[]): void {
  if (caller.role !== 'owner' && roles.includes('owner')) throw new ApiError('forbidden', 'Only an owner can grant or change the owner role')
}

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
  responses: { 200: { description: 'Members', content: { 'application/json': { schema: z.object({ data: z.array(MemberSchema) }) } } } },
})

const add = createRoute({
  method: 'post',
  path: '/v1/members',
  tags: ['Members'],
  summary: 'Add a person with a role (owners and admins)',
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { body: jsonBody(AddMemberSchema) },
  responses: {
    201: { description: 'Added', content: { 'application/json': { schema: MemberSchema } } },
    400: errorResponse('Invalid input, or a password is needed for a new account'),
    409: errorResponse('Already a member'),
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
  responses: { 200: { description: 'Changed', content: { 'application/json': { schema: MemberSchema } } }, 409: errorResponse('Last owner') },
})

const remove = createRoute({
  method: 'delete',
  path: '/v1/members/{userId}',
  tags: ['Members'],
  summary: 'Remove a member (owners and admins)',
  middleware: managers,
  security: MEMBER_CREDENTIAL,
  request: { params: UserIdParam },
  responses: { 204: { description: 'Removed' }, 404: errorResponse('No such member'), 409: errorResponse('Last owner') },
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
  .openapi(add, async (c) => {
    const input = c.req.valid('json')
    const caller = asMember(c.var.caller)
    assertMayGrant(caller, input.role)
    const passwordHash = input.password ? await hashPassword(input.password) : undefined
    const member = await c.var.db.get().transaction(async (tx) => {
      let [user] = await findUserByEmail(tx, input.email)
      if (!user) {
        if (!passwordHash) {
          throw new ApiError('invalid_request', 'No account exists for this email; send a password to create one', {
            details: [{ in: 'json', path: 'password', message: 'required for a new account', code: 'custom' }],
          })
        }
        ;[user] = await tx.insert(users).values({ email: input.email, name: input.name ?? null, passwordHash }).returning()
      }
      if (!user) throw new Error('user insert returned no row')
      const [joined] = await tx.insert(memberships).values({ tenantId: caller.tenantId, userId: user.id, role: input.role }).onConflictDoNothing().returning()
      if (!joined) throw new ApiError('conflict', 'This person is already a member of the tenant')
      await recordAudit(tx, caller, { action: 'member.added', targetType: 'user', targetId: user.id, details: { email: user.email, role: input.role } })
      return memberJson(user, joined.role, joined.createdAt)
    })
    return c.json(member, 201)
  })
  .openapi(change, async (c) => {
    const { userId } = c.req.valid('param')
    const { role } = c.req.valid('json')
    const caller = asMember(c.var.caller)
    const member = await c.var.db.get().transaction(async (tx) => {
      const current = await memberRole(tx, caller.tenantId, userId)
      assertMayGrant(caller, current, role)
      if (current === 'owner' && role !== 'owner') await assertAnotherOwner(tx, caller.tenantId)
      const [updated] = await tx
        .update(memberships)
        .set({ role })
        .where(and(eq(memberships.tenantId, caller.tenantId), eq(memberships.userId, userId)))
        .returning()
      const [user] = await tx.select().from(users).where(eq(users.id, userId))
      if (!updated || !user) throw new ApiError('not_found', 'No such member in this tenant')
      await recordAudit(tx, caller, { action: 'member.role_changed', targetType: 'user', targetId: userId, details: { from: current, to: role } })
      return memberJson(user, updated.role, updated.createdAt)
    })
    return c.json(member, 200)
  })
  .openapi(remove, async (c) => {
    const { userId } = c.req.valid('param')
    const caller = asMember(c.var.caller)
    await c.var.db.get().transaction(async (tx) => {
      const current = await memberRole(tx, caller.tenantId, userId)
      assertMayGrant(caller, current)
      if (current === 'owner') await assertAnotherOwner(tx, caller.tenantId)
      await tx.delete(memberships).where(and(eq(memberships.tenantId, caller.tenantId), eq(memberships.userId, userId)))
      await tx.execute(sql`update refresh_tokens set revoked_at = now() where user_id = ${userId} and tenant_id = ${caller.tenantId} and revoked_at is null`)
      await recordAudit(tx, caller, { action: 'member.removed', targetType: 'user', targetId: userId, details: { role: current } })
    })
    return c.body(null, 204)
  })
