// Email verification in tests: no email provider runs here, so a test plants a verification link for an account
// in Postgres (the way sendEmailVerification stores one) and uses it through the API.
import { env } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { createDatabase } from '../../workers/db/client'
import { sha256Hex } from '../../workers/lib/crypto'
import { api, unique } from './helpers'

/** Stores a verification link for the user's current email and returns its token. */
export async function plantVerificationToken(userId: string, email: string, expiresInMs = 60_000): Promise<string> {
  const token = `ve_${unique('test')}`
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    await client.db.execute(
      sql`insert into email_verifications (user_id, email, token_hash, expires_at) values (${userId}::uuid, ${email}, ${await sha256Hex(token)}, ${new Date(Date.now() + expiresInMs).toISOString()}::timestamptz)`,
    )
  } finally {
    await client.close()
  }
  return token
}

/** Verifies the account's email through POST /v1/auth/verify-email, signed in as it. */
export async function verifyEmailOf(account: { user: { id: string }; email: string; accessToken: string }): Promise<void> {
  const token = await plantVerificationToken(account.user.id, account.email)
  const { res, body } = await api('/v1/auth/verify-email', { token: account.accessToken, body: { token } })
  if (res.status !== 200) throw new Error(`verification failed: ${res.status} ${JSON.stringify(body)}`)
}

/** Runs SQL against the test database (to age an invitation, for instance). */
export async function runSql(query: ReturnType<typeof sql>): Promise<void> {
  const client = createDatabase({ url: env.DATABASE_URL })
  try {
    await client.db.execute(query)
  } finally {
    await client.close()
  }
}
