// Per-tenant attribute definitions (the seed's JSONB attributes): key, label, type, options, required, order, target.
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq } from 'drizzle-orm'
import { ATTRIBUTE_TARGETS, ATTRIBUTE_TYPES, attributeDefinitions } from '../db/schema/catalog'
import { isUniqueViolation } from '../db/errors'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { UuidParamSchema } from '../lib/schemas'
import { requireScope } from '../middleware/authenticate'

const MAX_OPTIONS = 200

const AttributeSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    label: z.string(),
    type: z.enum(ATTRIBUTE_TYPES),
    multiple: z.boolean(),
    options: z.array(z.string()),
    required: z.boolean(),
    position: z.number().int(),
    appliesTo: z.enum(ATTRIBUTE_TARGETS),
  })
  .openapi('AttributeDefinition')

const fields = {
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lowercase letters, digits and _, starting with a letter'),
  label: z.string().trim().min(1).max(100),
  type: z.enum(ATTRIBUTE_TYPES),
  multiple: z.boolean(),
  options: z.array(z.string().trim().min(1).max(100)).max(MAX_OPTIONS).refine((o) => new Set(o).size === o.length, 'options must not repeat'),
  required: z.boolean(),
  position: z.number().int().min(0).max(10_000),
  appliesTo: z.enum(ATTRIBUTE_TARGETS),
}

const listNeedsOptions = (d: { type?: string; options?: string[] }) => d.type !== 'list' || (d.options?.length ?? 0) > 0
const CreateSchema = z
  .object({
    ...fields,
    multiple: fields.multiple.default(false),
    options: fields.options.default([]),
    required: fields.required.default(false),
    position: fields.position.default(0),
    appliesTo: fields.appliesTo.default('product'),
  })
  .refine(listNeedsOptions, { message: 'a list needs options', path: ['options'] })
  .openapi('CreateAttributeDefinition')
const PatchSchema = z
  .object({ label: fields.label, multiple: fields.multiple, options: fields.options, required: fields.required, position: fields.position })
  .partial()
  .openapi('PatchAttributeDefinition')

type Row = typeof attributeDefinitions.$inferSelect
const toJson = (d: Row) => ({
  id: d.id,
  key: d.key,
  label: d.label,
  type: d.type,
  multiple: d.multiple,
  options: d.options,
  required: d.required,
  position: d.position,
  appliesTo: d.appliesTo,
})
const one = (description: string) => jsonResponse(description, AttributeSchema)

const list = createRoute({
  method: 'get',
  path: '/v1/attributes',
  tags: ['Catalog'],
  summary: 'Attribute definitions of the tenant',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: z.object({ appliesTo: z.enum(ATTRIBUTE_TARGETS).optional() }) },
  responses: { 200: { description: 'Definitions', content: { 'application/json': { schema: z.object({ data: z.array(AttributeSchema) }) } } } },
})
const create = createRoute({
  method: 'post',
  path: '/v1/attributes',
  tags: ['Catalog'],
  summary: 'Define an attribute',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(CreateSchema) },
  responses: { 201: one('Created'), 409: errorResponse('Key already defined for that target') },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/attributes/{id}',
  tags: ['Catalog'],
  summary: 'Change a definition (stored values are kept; see attributeIssues on products)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema, body: jsonBody(PatchSchema) },
  responses: { 200: one('Updated'), 404: errorResponse('No such definition') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/attributes/{id}',
  tags: ['Catalog'],
  summary: 'Delete a definition (stored values are kept and reported as issues)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such definition') },
})

export const attributeRoutes = createRouter()
  .openapi(list, async (c) => {
    const { appliesTo } = c.req.valid('query')
    const rows = await c.var.db
      .get()
      .select()
      .from(attributeDefinitions)
      .where(and(eq(attributeDefinitions.tenantId, c.var.caller.tenantId), appliesTo ? eq(attributeDefinitions.appliesTo, appliesTo) : undefined))
      .orderBy(asc(attributeDefinitions.appliesTo), asc(attributeDefinitions.position), asc(attributeDefinitions.key))
    return c.json({ data: rows.map(toJson) }, 200)
  })
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    try {
      const row = await c.var.db.get().transaction(async (tx) => {
        const [inserted] = await tx.insert(attributeDefinitions).values({ ...input, tenantId: caller.tenantId }).returning()
        if (!inserted) throw new Error('insert returned no row')
        await recordAudit(tx, caller, { action: 'attribute.created', targetType: 'attribute', targetId: inserted.id, details: { key: input.key } })
        return inserted
      })
      return c.json(toJson(row), 201)
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', `An attribute "${input.key}" already exists for ${input.appliesTo}s`)
      throw error
    }
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const row = await c.var.db.get().transaction(async (tx) => {
      const [current] = await tx.select().from(attributeDefinitions).where(and(eq(attributeDefinitions.id, id), eq(attributeDefinitions.tenantId, caller.tenantId)))
      if (!current) throw new ApiError('not_found', 'No attribute definition with this id')
      if (!listNeedsOptions({ type: current.type, options: input.options ?? current.options })) {
        throw new ApiError('invalid_request', 'A list needs options', { details: [{ in: 'json', path: 'options', message: 'a list needs options', code: 'custom' }] })
      }
      const [updated] = await tx.update(attributeDefinitions).set({ ...input, updatedAt: new Date() }).where(eq(attributeDefinitions.id, id)).returning()
      if (!updated) throw new ApiError('not_found', 'No attribute definition with this id')
      await recordAudit(tx, caller, { action: 'attribute.updated', targetType: 'attribute', targetId: id, details: input })
      return updated
    })
    return c.json(toJson(row), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      const [deleted] = await tx
        .delete(attributeDefinitions)
        .where(and(eq(attributeDefinitions.id, id), eq(attributeDefinitions.tenantId, caller.tenantId)))
        .returning()
      if (!deleted) throw new ApiError('not_found', 'No attribute definition with this id')
      await recordAudit(tx, caller, { action: 'attribute.deleted', targetType: 'attribute', targetId: id, details: { key: deleted.key } })
    })
    return c.body(null, 204)
  })
