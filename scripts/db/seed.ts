// Seeds the demo tenant and its owner so a fresh `npm start` has someone to sign in as; safe to run on every start.
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../workers/db/client'
import { memberships, tenants, users } from '../../workers/db/schema'
import { hashPassword } from '../../workers/lib/password'

/** Credentials of the demo owner, printed by `npm start`. */
export const DEMO_ACCOUNT = { email: 'demo@vitrina.dev', password: 'vitrina-demo', tenantSlug: 'demo', tenantName: 'Demo Shop' } as const

/** Creates the demo tenant, its owner and the membership when they are missing; never touches existing rows. */
export async function seedDemo(db: Database): Promise<void> {
  // The demo shop sells in Mexican pesos: the admin UI formats and defaults prices in `settings.currency`.
  await db.insert(tenants).values({ name: DEMO_ACCOUNT.tenantName, slug: DEMO_ACCOUNT.tenantSlug, settings: { currency: 'MXN' } }).onConflictDoNothing()
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO_ACCOUNT.tenantSlug))
  if (!tenant) throw new Error('demo tenant missing after insert')

  let [user] = await db.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, DEMO_ACCOUNT.email))
  if (!user) {
    const passwordHash = await hashPassword(DEMO_ACCOUNT.password)
    ;[user] = await db.insert(users).values({ email: DEMO_ACCOUNT.email, name: 'Demo Owner', passwordHash }).returning({ id: users.id })
  }
  if (!user) throw new Error('demo user missing after insert')

  const existing = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, user.id)))
  if (existing.length === 0) await db.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: 'owner' })
}
