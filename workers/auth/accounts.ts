// Accounts: signing up (a user, a tenant and the owner membership in one transaction) and checking a sign-in.
import { and, asc, eq, or, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { memberships, tenants, users, type MemberRole } from '../db/schema/tenants'
import { ApiError } from '../lib/errors'
import { hashPassword, verifyPassword } from '../lib/password'
import { randomToken } from '../lib/crypto'

type TenantRow = typeof tenants.$inferSelect
type UserRow = typeof users.$inferSelect

/** Tries before giving up on a unique slug (each retry adds a random suffix). */
const SLUG_ATTEMPTS = 5
/** Compared against when the email is unknown, so a wrong email costs as much time as a wrong password. */
const DECOY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

/** A URL-safe slug from a shop name: lowercase ASCII words joined by dashes. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
  return slug || 'shop'
}

/** The user with this email (case-insensitive), as a one-or-zero row list. */
export const findUserByEmail = (db: Database, email: string) => db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()))

/** Creates the user, their tenant and the owner membership; 409 `email_taken` when the email is registered. */
export async function registerAccount(
  db: Database,
  input: { email: string; password: string; tenantName: string; name?: string | undefined },
): Promise<{ user: UserRow; tenant: TenantRow }> {
  const passwordHash = await hashPassword(input.password)
  return db.transaction(async (tx) => {
    const [user] = await tx.insert(users).values({ email: input.email, name: input.name ?? null, passwordHash }).onConflictDoNothing().returning()
    if (!user) throw new ApiError('email_taken', 'An account with this email already exists; sign in instead')
    let tenant: TenantRow | undefined
    const base = slugify(input.tenantName)
    for (let attempt = 0; !tenant && attempt < SLUG_ATTEMPTS; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${randomToken(3).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`
      ;[tenant] = await tx.insert(tenants).values({ name: input.tenantName, slug }).onConflictDoNothing().returning()
    }
    if (!tenant) throw new Error(`no free slug for "${base}" after ${SLUG_ATTEMPTS} attempts`)
    await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: 'owner' })
    return { user, tenant }
  })
}

/**
 * Checks email and password and picks the tenant to sign in to (`tenant` by id or slug, else the oldest membership).
 * Every failure is the same 401, so callers cannot tell a wrong email from a wrong password.
 */
export async function checkSignIn(
  db: Database,
  email: string,
  password: string,
  tenant?: string,
): Promise<{ user: UserRow; tenant: TenantRow; role: MemberRole }> {
  const [user] = await findUserByEmail(db, email)
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH)
  const failure = new ApiError('unauthorized', 'Wrong email or password')
  if (!user || !passwordOk) throw failure
  const tenantFilter =
    tenant === undefined ? undefined : /^[0-9a-f-]{36}$/i.test(tenant) ? or(eq(tenants.id, tenant), eq(tenants.slug, tenant)) : eq(tenants.slug, tenant)
  const [membership] = await db
    .select({ tenant: tenants, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, user.id), tenantFilter))
    .orderBy(asc(memberships.createdAt))
    .limit(1)
  if (!membership) throw failure
  return { user, tenant: membership.tenant, role: membership.role }
}
