// Sign-in sessions: a short-lived access token plus a rotating refresh token stored hashed. Each refresh uses up its
// token and issues the next one in the same family; presenting a used token again revokes the whole family.
import { and, eq, isNull } from 'drizzle-orm'
import type { Database } from '../db/client'
import { refreshTokens } from '../db/schema/credentials'
import { memberships, type MemberRole } from '../db/schema/tenants'
import { randomToken, sha256Hex } from '../lib/crypto'
import { ApiError } from '../lib/errors'
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from './access-token'

/** Refresh tokens live 30 days unless used (rotated) or revoked first. */
export const REFRESH_TOKEN_TTL_DAYS = 30
const REFRESH_TOKEN_PREFIX = 'vr_'
const REFRESH_TOKEN_BYTES = 32

export interface SessionTokens {
  accessToken: string
  refreshToken: string
  expiresIn: number
  role: MemberRole
}

async function issueRefreshToken(db: Database, userId: string, tenantId: string, familyId: string): Promise<string> {
  const token = `${REFRESH_TOKEN_PREFIX}${randomToken(REFRESH_TOKEN_BYTES)}`
  await db.insert(refreshTokens).values({
    familyId,
    userId,
    tenantId,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  })
  return token
}

/** Starts a session (a new token family) for a member of `tenantId`. */
export async function startSession(db: Database, secret: string, userId: string, tenantId: string, role: MemberRole): Promise<SessionTokens> {
  const refreshToken = await issueRefreshToken(db, userId, tenantId, crypto.randomUUID())
  const accessToken = await signAccessToken({ userId, tenantId, role }, secret)
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, role }
}

const invalidRefresh = () => new ApiError('unauthorized', 'The refresh token is invalid, expired or revoked')

/** Uses up `token` and returns the next pair; a token used twice revokes its family (401 either way). */
export async function rotateSession(db: Database, secret: string, token: string): Promise<SessionTokens & { userId: string; tenantId: string }> {
  const hash = await sha256Hex(token)
  const [used] = await db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .returning()
  if (!used) {
    const [known] = await db.select({ familyId: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, hash))
    if (known) await revokeFamily(db, known.familyId)
    throw invalidRefresh()
  }
  if (used.expiresAt.getTime() <= Date.now()) throw invalidRefresh()
  const [membership] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, used.userId), eq(memberships.tenantId, used.tenantId)))
  if (!membership) {
    await revokeFamily(db, used.familyId)
    throw invalidRefresh()
  }
  const refreshToken = await issueRefreshToken(db, used.userId, used.tenantId, used.familyId)
  const accessToken = await signAccessToken({ userId: used.userId, tenantId: used.tenantId, role: membership.role }, secret)
  return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, role: membership.role, userId: used.userId, tenantId: used.tenantId }
}

/** Revokes every token of a family (logout, or detected reuse). */
export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db.update(refreshTokens).set({ revokedAt: new Date() }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
}

/** Ends the session a refresh token belongs to; unknown tokens are ignored so logout never leaks anything. */
export async function endSession(db: Database, token: string): Promise<void> {
  const [known] = await db.select({ familyId: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, await sha256Hex(token)))
  if (known) await revokeFamily(db, known.familyId)
}
