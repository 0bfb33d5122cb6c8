// Email verification: a single-use link sent when an account is created (stored hashed, valid 7 days), used while
// signed in to that account, so it proves one person holds both the inbox and the password. Until then the account
// cannot join another tenant through an invitation, so nobody can pre-register someone else's email and use it.
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { emailVerifications } from '../db/schema/invitations'
import { users } from '../db/schema/tenants'
import type { EmailSender } from '../email/sender'
import { randomToken, sha256Hex } from '../lib/crypto'
import { ApiError } from '../lib/errors'

/** Verification links live this long. */
export const EMAIL_VERIFICATION_TTL_DAYS = 7
const TOKEN_PREFIX = 've_'
const TOKEN_BYTES = 32

/** Creates a verification link for the account's current email and sends it (to the log when no provider is set). */
export async function sendEmailVerification(db: Database, sender: EmailSender, origin: string, user: { id: string; email: string }): Promise<void> {
  const token = `${TOKEN_PREFIX}${randomToken(TOKEN_BYTES)}`
  await db.insert(emailVerifications).values({
    userId: user.id,
    email: user.email,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(Date.now() + EMAIL_VERIFICATION_TTL_DAYS * 86_400_000),
  })
  const url = `${origin}/verify-email/${encodeURIComponent(token)}`
  await sender.send({
    to: user.email,
    kind: 'email_verification',
    subject: 'Confirm your email for Vitrina',
    text: `Confirm that this is your address by opening ${url} (valid ${EMAIL_VERIFICATION_TTL_DAYS} days).`,
    url,
  })
}

/**
 * Uses a verification token for the signed-in account `userId`: marks its email verified. 400 `invalid_request` for
 * an unknown, used or expired token, or one sent for another account (the link is not used up then).
 */
export async function verifyEmail(db: Database, token: string, userId: string): Promise<{ userId: string; email: string }> {
  const hash = await sha256Hex(token)
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(emailVerifications)
      .set({ usedAt: new Date() })
      .where(
        and(eq(emailVerifications.tokenHash, hash), eq(emailVerifications.userId, userId), isNull(emailVerifications.usedAt), gt(emailVerifications.expiresAt, sql`now()`)),
      )
      .returning()
    if (!link) throw new ApiError('invalid_request', 'This verification link is unknown, used, expired or for another account (sign in as the account it was sent to)', { details: [{ in: 'json', path: 'token', message: 'invalid or expired', code: 'invalid_token' }] })
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(and(eq(users.id, link.userId), eq(sql`lower(${users.email})`, link.email.toLowerCase())))
      .returning({ id: users.id, email: users.email })
    if (!user) throw new ApiError('invalid_request', 'This link was sent to an address the account no longer has', { details: [{ in: 'json', path: 'token', message: 'stale', code: 'invalid_token' }] })
    return { userId: user.id, email: user.email }
  })
}
