// Dynamic attributes: each tenant defines its own fields (text, number, list, date, boolean) and every write of a
// product or variant is validated against a zod schema built from those definitions, one issue per bad field.
//
// Changing a definition never rewrites stored values. A value that no longer validates (a removed option, a changed
// type, a deleted definition) stays stored and is returned as is, listed in `attributeIssues` on read; the next write
// that touches `attributes` must send a set that validates as a whole.
import { z } from '@hono/zod-openapi'
import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { attributeDefinitions, type AttributeTarget, type AttributeValues } from '../db/schema/catalog'
import { ApiError } from '../lib/errors'
import type { ValidationIssue } from '../lib/openapi'

/** Longest text value of a text attribute. */
export const MAX_ATTRIBUTE_TEXT = 2000

type Definition = typeof attributeDefinitions.$inferSelect

/** The zod schema of one attribute value under its definition. */
function valueSchema(def: Definition): z.ZodType {
  switch (def.type) {
    case 'text':
      return z.string().max(MAX_ATTRIBUTE_TEXT)
    case 'number':
      return z.number().finite()
    case 'boolean':
      return z.boolean()
    case 'date':
      return z.iso.date()
    case 'list': {
      const option = z.string().refine((v) => def.options.includes(v), { message: `must be one of: ${def.options.join(', ')}` })
      return def.multiple ? z.array(option).max(def.options.length).refine((a) => new Set(a).size === a.length, 'options must not repeat') : option
    }
  }
}

/** Builds the schema of a whole attribute set: known keys only, required keys present. */
function attributeSetSchema(definitions: Definition[]): z.ZodType {
  const shape: Record<string, z.ZodType> = {}
  for (const def of definitions) shape[def.key] = def.required ? valueSchema(def) : valueSchema(def).nullable().optional()
  return z.strictObject(shape)
}

/** The tenant's definitions for products or variants, in display order. */
export function loadDefinitions(db: Database, tenantId: string, target: AttributeTarget): Promise<Definition[]> {
  return db
    .select()
    .from(attributeDefinitions)
    .where(and(eq(attributeDefinitions.tenantId, tenantId), eq(attributeDefinitions.appliesTo, target)))
    .orderBy(asc(attributeDefinitions.position), asc(attributeDefinitions.key))
}

/** Lists what in `values` does not satisfy `definitions`; empty when the set is valid. */
export function attributeIssues(definitions: Definition[], values: AttributeValues, pathPrefix = 'attributes'): ValidationIssue[] {
  const result = attributeSetSchema(definitions).safeParse(values)
  if (result.success) return []
  return result.error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.map(String).join('.')]
    return keys.map((key) => ({
      in: 'json',
      path: [pathPrefix, key].filter(Boolean).join('.'),
      message: issue.code === 'unrecognized_keys' ? 'no attribute with this key is defined' : issue.message,
      code: issue.code,
    }))
  })
}

/** Throws 400 with one issue per bad field unless `values` is a valid attribute set. */
export function assertAttributes(definitions: Definition[], values: AttributeValues, pathPrefix = 'attributes'): void {
  const issues = attributeIssues(definitions, values, pathPrefix)
  if (issues.length > 0) throw new ApiError('invalid_request', 'Some attributes are invalid', { details: issues })
}

/** Attribute values as sent by clients: scalars or lists of strings, null to clear. */
export const AttributeValuesSchema = z
  .record(z.string().min(1).max(64), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]))
  .openapi('AttributeValues')
