// The tenant's audit log of admin actions, newest first, cursor-paginated.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import { auditLog } from '../db/schema/activity'
import { ANY_CREDENTIAL, createRouter } from '../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, pageOf, PageQuerySchema, timestampText, toPage } from '../lib/pagination'
import { requireScope } from '../middleware/authenticate'

const AuditEntrySchema = z
  .object({
    id: z.uuid(),
    actorType: z.enum(['user', 'api_key']),
    actorId: z.uuid(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('AuditEntry')

const route = createRoute({
  method: 'get',
  path: '/v1/audit-log',
  tags: ['Audit'],
  summary: 'Admin actions of the tenant, newest first (admin)',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { query: PageQuerySchema.extend({ action: z.string().max(64).optional() }) },
  responses: { 200: { description: 'A page of entries', content: { 'application/json': { schema: pageOf(AuditEntrySchema) } } }, 400: INVALID_CURSOR_RESPONSE },
})

export const auditLogRoutes = createRouter().openapi(route, async (c) => {
  const { limit, cursor, action } = c.req.valid('query')
  const createdAtText = timestampText(auditLog.createdAt)
  const rows = await c.var.db
    .get()
    .select({ entry: auditLog, createdAtText })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, c.var.caller.tenantId),
        action ? eq(auditLog.action, action) : undefined,
        olderThan(auditLog.createdAt, auditLog.id, cursor),
      ),
    )
    .orderBy(...newestFirst(auditLog.createdAt, auditLog.id))
    .limit(limit + 1)
  const page = toPage(
    rows,
    limit,
    ({ entry }) => ({ ...entry, createdAt: entry.createdAt.toISOString() }),
    (r) => [r.createdAtText, r.entry.id],
  )
  return c.json(page, 200)
})
