// The caller's own tenant: read it with any credential, rename it or change its settings as an admin.
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { tenants } from '../db/schema/tenants'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse } from '../lib/openapi'
import { TenantSchema, tenantJson } from '../lib/schemas'
import { requireScope } from '../middleware/authenticate'

/** Settings are a small JSON object; this caps what one tenant stores there, after merging every PATCH. */
export const MAX_SETTINGS_BYTES = 16 * 1024

/** Size of settings as UTF-8 JSON, the measure of the cap. */
const settingsBytes = (settings: unknown) => new TextEncoder().encode(JSON.stringify(settings)).byteLength

const tooLarge = (bytes: number) =>
  new ApiError('invalid_request', `settings would take ${bytes} bytes; the limit is ${MAX_SETTINGS_BYTES}`, {
    details: [{ in: 'json', path: 'settings', message: `merged settings are ${bytes} bytes, over ${MAX_SETTINGS_BYTES}`, code: 'too_big' }],
  })

const TenantPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    settings: z
      .record(z.string().max(64), z.unknown())
      .refine((s) => settingsBytes(s) <= MAX_SETTINGS_BYTES, `settings must serialise to at most ${MAX_SETTINGS_BYTES} bytes`)
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
  responses: {
    200: { description: 'The updated tenant', content: { 'application/json': { schema: TenantSchema } } },
    400: errorResponse(`Invalid patch, or the merged settings would exceed ${MAX_SETTINGS_BYTES} bytes`),
    403: errorResponse('Not an admin'),
    404: errorResponse('The tenant no longer exists'),
  },
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
      // The row is locked so concurrent PATCHes merge one after the other and the cap holds for their sum.
      const [current] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, caller.tenantId)).for('update')
      if (!current) throw new ApiError('not_found', 'Tenant not found')
      const merged = patch.settings === undefined ? undefined : { ...current.settings, ...patch.settings }
      if (merged !== undefined && settingsBytes(merged) > MAX_SETTINGS_BYTES) throw tooLarge(settingsBytes(merged))
      const [updated] = await tx
        .update(tenants)
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(merged === undefined ? {} : { settings: merged }),
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
