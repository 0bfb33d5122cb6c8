// Invitations into a tenant: a single-use link (token stored hashed, valid 7 days) for one email and role. Accepting
// creates the account of someone new (their own password) or adds the signed-in, verified account of that email;
// no tenant ever sets the password of an existing identity.
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { invitations } from '../db/schema/invitations'
import { memberships, tenants, users, type MemberRole } from '../db/schema/tenants'
import { recordAudit } from '../lib/audit'
import { randomToken, sha256Hex } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import type { UserCaller } from './context'
import { findUserByEmail } from './accounts'
import { ROLE_SCOPES } from './scopes'

/** Invitation links live this long. */
export const INVITATION_TTL_DAYS = 7
const TOKEN_PREFIX = 'vi_'
const TOKEN_BYTES = 32

export type InvitationRow = typeof invitations.$inferSelect
type UserRow = typeof users.$inferSelect
type TenantRow = typeof tenants.$inferSelect

/** Where an invitation stands. */
export function invitationStatus(row: InvitationRow, now = Date.now()): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (row.acceptedAt) return 'accepted'
  if (row.revokedAt) return 'revoked'
  return row.expiresAt.getTime() <= now ? 'expired' : 'pending'
}

/** The link an invitee opens: the admin UI's accept page. */
export function invitationUrl(origin: string, token: string): string {
  return `${origin}/invite/${encodeURIComponent(token)}`
}

/**
 * Creates an invitation from `caller` for `email` with `role`; returns the row and the token (shown once, in the link).
 * 409 `already_member` when the email already belongs to a member, 409 `invitation_pending` when one is pending.
 */
export async function createInvitation(db: Database, caller: UserCaller, input: { email: string; role: MemberRole }): Promise<{ row: InvitationRow; token: string }> {
  const token = `${TOKEN_PREFIX}${randomToken(TOKEN_BYTES)}`
  const tokenHash = await sha256Hex(token)
  const email = input.email.trim()
  const row = await db.transaction(async (tx) => {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, caller.tenantId), eq(sql`lower(${users.email})`, email.toLowerCase())))
    if (member) throw new ApiError('already_member', 'This person is already a member of the tenant')
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, caller.tenantId),
          eq(sql`lower(${invitations.email})`, email.toLowerCase()),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .for('update')
    if (pending) throw new ApiError('invitation_pending', 'This email already has a pending invitation; revoke it to send a new one', { details: { invitationId: pending.id } })
    const [inserted] = await tx
      .insert(invitations)
      .values({ tenantId: caller.tenantId, email, role: input.role, tokenHash, invitedBy: caller.userId, expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000) })
      .returning()
    if (!inserted) throw new Error('invitation insert returned no row')
    await recordAudit(tx, caller, { action: 'invitation.created', targetType: 'invitation', targetId: inserted.id, details: { email, role: input.role } })
    return inserted
  })
  return { row, token }
}

/** Revokes a pending invitation of the caller's tenant; 404 for any other (another tenant's, accepted or revoked). */
export async function revokeInvitation(db: Database, caller: UserCaller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, id), eq(invitations.tenantId, caller.tenantId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning()
    if (!row) throw new ApiError('not_found', 'No pending invitation with this id')
    await recordAudit(tx, caller, { action: 'invitation.revoked', targetType: 'invitation', targetId: row.id, details: { email: row.email, role: row.role } })
  })
}

/** Who accepts: the account signed in with an access token, or someone new choosing their password. */
export type Acceptor = { kind: 'signed_in'; userId: string } | { kind: 'new'; passwordHash: string; name: string | null }

/** What an accepted invitation yields: the member, their new tenant and role, and whether the account is new. */
export interface Accepted {
  user: UserRow
  tenant: TenantRow
  role: MemberRole
  created: boolean
}

function assertUsable(row: InvitationRow | undefined): InvitationRow {
  if (!row) throw new ApiError('not_found', 'No such invitation')
  const status = invitationStatus(row)
  if (status === 'revoked') throw new ApiError('invitation_revoked', 'This invitation was revoked')
  if (status === 'accepted') throw new ApiError('invitation_used', 'This invitation has already been used')
  if (status === 'expired') throw new ApiError('invitation_expired', 'This invitation has expired; ask for a new one')
  return row
}

async function acceptingUser(tx: Database, row: InvitationRow, acceptor: Acceptor): Promise<{ user: UserRow; created: boolean }> {
  if (acceptor.kind === 'signed_in') {
    const [user] = await tx.select().from(users).where(eq(users.id, acceptor.userId))
    if (!user) throw new ApiError('unauthorized', 'The account behind this token no longer exists')
    if (user.email.toLowerCase() !== row.email.toLowerCase()) throw new ApiError('invitation_email_mismatch', 'This invitation is for another email address; sign in with that account')
    if (!user.emailVerifiedAt) throw new ApiError('email_unverified', 'Confirm your email address (the link sent when the account was created) before joining another shop')
    return { user, created: false }
  }
  const [existing] = await findUserByEmail(tx, row.email)
  if (existing) throw new ApiError('account_exists', 'An account with this email exists: sign in as it, then accept the invitation')
  const [user] = await tx.insert(users).values({ email: row.email, name: acceptor.name, passwordHash: acceptor.passwordHash }).onConflictDoNothing().returning()
  if (!user) throw new ApiError('account_exists', 'An account with this email exists: sign in as it, then accept the invitation')
  return { user, created: true }
}

/** Accepts the invitation of `token` (single use): adds the membership and records `invitation.accepted`. */
export async function acceptInvitation(db: Database, token: string, acceptor: Acceptor): Promise<Accepted> {
  const tokenHash = await sha256Hex(token)
  return db.transaction(async (tx) => {
    const [found] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).for('update')
    const row = assertUsable(found)
    const { user, created } = await acceptingUser(tx, row, acceptor)
    const [joined] = await tx.insert(memberships).values({ tenantId: row.tenantId, userId: user.id, role: row.role }).onConflictDoNothing().returning()
    if (!joined) throw new ApiError('already_member', 'This account is already a member of the tenant')
    await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: user.id }).where(eq(invitations.id, row.id))
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, row.tenantId))
    if (!tenant) throw new ApiError('not_found', 'No such invitation')
    const actor: UserCaller = { kind: 'user', userId: user.id, tenantId: row.tenantId, role: row.role, scopes: ROLE_SCOPES[row.role], expiresAt: 0 }
    await recordAudit(tx, actor, { action: 'invitation.accepted', targetType: 'invitation', targetId: row.id, details: { email: row.email, role: row.role, newAccount: created } })
    return { user, tenant, role: row.role, created }
  })
}
