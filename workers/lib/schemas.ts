// zod/OpenAPI schemas shared by several route modules.
import { z } from '@hono/zod-openapi'
import { MEMBER_ROLES } from '../db/schema/tenants'

export const UuidParamSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })

export const TenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    plan: z.string(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Tenant')

export const UserSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }).openapi('User')

export const RoleSchema = z.enum(MEMBER_ROLES).openapi('Role')

/** Serialises a tenant row for the API. */
export function tenantJson(t: { id: string; name: string; slug: string; plan: string; settings: Record<string, unknown>; createdAt: Date }) {
  return { id: t.id, name: t.name, slug: t.slug, plan: t.plan, settings: t.settings, createdAt: t.createdAt.toISOString() }
}

/** Serialises a user row for the API (never the password hash). */
export function userJson(u: { id: string; email: string; name: string | null }) {
  return { id: u.id, email: u.email, name: u.name }
}
