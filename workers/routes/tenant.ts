// The caller's own tenant: read it with any credential, rename it or change its settings as an admin.
import { createRoute, z } from '@hono/zod-openapi'
import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client'
import { tenants } from '../db/schema/tenants'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../lib/openapi'
import { TenantSchema, tenantJson } from '../lib/schemas'
import { requireScope } from '../middleware/authenticate'

/** Settings are a small JSON object; this caps what one tenant can store there. */
const MAX_SETTINGS_BYTES = 16 * 1024

const TenantPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    settings: z
      .record(z.string().max(64), z.unknown())
      .refine((s) => JSON.stringify(s).length <= MAX_SETTINGS_BYTES, `settings must serialise to at most ${MAX_SETTINGS_BYTES} bytes`)
      .refine((s) => s.currency === undefined || (typeof s.currency === 'string' && /^[A-Z]{3}$/.test(s.currency)), {
        message: 'settings.currency is the ISO 4217 code prices are entered in, such as MXN',
        path: ['currency'],
      })
      .optional(),
  })
  .refine((p) => p.name !== undefined || p.settings !== undefined, 'send name or settings')
  .openapi('TenantPatch')


const getTenant = createRoute({
  method: 'get',
  path: '/v1/tenant',
  tags: ['Tenant'],
  summary: 'The tenant of the credential used',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  responses: { 200: { description: 'The tenant', content: { 'application/json': { schema: TenantSchema } } }, 401: errorResponse('No credential') },
})

const patchTenant = createRoute({
  method: 'patch',
  path: '/v1/tenant',
  tags: ['Tenant'],
  summary: 'Rename the tenant or merge settings (admin)',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { body: { required: true, content: { 'application/json': { schema: TenantPatchSchema } } } },
  responses: { 200: { description: 'The updated tenant', content: { 'application/json': { schema: TenantSchema } } }, 403: errorResponse('Not an admin') },
})

/** The tenant as the API shows it; 404 when it does not exist. */
export async function loadTenant(db: Database, tenantId: string) {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId))
  if (!tenant) throw new ApiError('not_found', 'Tenant not found')
  return tenantJson(tenant)
}

export const tenantRoutes = createRouter()
  .openapi(getTenant, async (c) => c.json(await loadTenant(c.var.db.get(), c.var.caller.tenantId), 200))
  .openapi(patchTenant, async (c) => {
    const patch = c.req.valid('json')
    const caller = c.var.caller
    const tenant = await c.var.db.get().transaction(async (tx) => {
      const [updated] = await tx
        .update(tenants)
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.settings === undefined ? {} : { settings: sql`${tenants.settings} || ${JSON.stringify(patch.settings)}::jsonb` }),
          updatedAt: new Date(),
        })
        .where(eq(tenants.id, caller.tenantId))
        .returning()
      if (!updated) throw new ApiError('not_found', 'Tenant not found')
      await recordAudit(tx, caller, { action: 'tenant.updated', targetType: 'tenant', targetId: updated.id, details: patch })
      return updated
    })
    return c.json(tenantJson(tenant), 200)
  })
