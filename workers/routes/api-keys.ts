// Storefront API keys of the caller's tenant: create (the key is shown once), import a CLIP Comparador key by its hash,
// list (never the key), revoke.
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq, isNull } from 'drizzle-orm'
import { generateKey, IMPORTED_KEY_PREFIX } from '../auth/api-key-format'
import type { Caller } from '../auth/context'
import { forgetApiKey } from '../auth/api-keys'
import { API_SCOPES, apiKeys, STOREFRONT_SCOPE } from '../db/schema/credentials'
import type { Database } from '../db/client'
import { isUniqueViolation } from '../db/errors'
import { sha256Hex } from '../lib/crypto'
import { recordAudit } from '../lib/audit'
import { ApiError } from '../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, MEMBER_CREDENTIAL } from '../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, pageOf, PageQuerySchema, timestampText, toPage } from '../lib/pagination'
import { UuidParamSchema } from '../lib/schemas'
import { closeCredentialSockets } from '../realtime/sockets'
import { requireMember, requireScope } from '../middleware/authenticate'

const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the key, to tell keys apart' }),
    type: z.enum(['secret', 'publishable']).openapi({ description: 'publishable keys (vk_pub_) carry the fixed storefront scope' }),
    scopes: z.array(z.enum([...API_SCOPES, STOREFRONT_SCOPE])),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Updated in batches, a few seconds behind' }),
  })
  .openapi('ApiKey')
const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string().openapi({ description: 'Shown only in this response' }) }).openapi('CreatedApiKey')

const SecretScopesSchema = z.array(z.enum(API_SCOPES)).min(1).max(API_SCOPES.length).refine((s) => new Set(s).size === s.length, 'scopes must not repeat')

const CreateApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    type: z.enum(['secret', 'publishable']).default('secret').openapi({ description: 'publishable: safe in a web page, storefront calls only, no scopes to choose' }),
    scopes: SecretScopesSchema.optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((d) => Date.parse(d) > Date.now(), 'expiresAt must be in the future')
      .optional(),
  })
  .refine((input) => (input.type === 'publishable') === (input.scopes === undefined), {
    path: ['scopes'],
    message: 'secret keys need scopes; publishable keys take none',
  })
  .openapi('CreateApiKey')

const ImportApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    keyHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'keyHash must be the SHA-256 of the key, 64 hexadecimal characters')
      .transform((h) => h.toLowerCase())
      .openapi({ description: 'SHA-256 of the whole key (UTF-8), hexadecimal, as CLIP Comparador stored it', example: 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' }),
    prefix: z
      .string()
      .regex(/^clip_[A-Za-z0-9_-]{0,19}$/, 'prefix must be the key\'s first characters, starting with clip_ (at most 24)')
      .openapi({ description: 'The key\'s first characters as shown in CLIP Comparador, to tell keys apart', example: 'clip_8f2k' }),
    scopes: SecretScopesSchema,
    expiresAt: z.iso
      .datetime({ offset: true })
      .refine((d) => Date.parse(d) > Date.now(), 'expiresAt must be in the future')
      .optional(),
  })
  .openapi('ImportApiKey')

type ApiKeyRow = typeof apiKeys.$inferSelect
const keyJson = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  type: k.scopes.includes(STOREFRONT_SCOPE) ? ('publishable' as const) : ('secret' as const),
  scopes: k.scopes,
  createdAt: k.createdAt.toISOString(),
  expiresAt: k.expiresAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
})


/** Stores a key's hash with its audit entry, in one transaction. */
async function storeKey(
  db: Database,
  caller: Caller,
  key: { name: string; prefix: string; keyHash: string; scopes: ApiKeyRow['scopes']; expiresAt?: string | undefined },
  action: 'api_key.created' | 'api_key.imported',
): Promise<ApiKeyRow> {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(apiKeys)
      .values({
        tenantId: caller.tenantId,
        name: key.name,
        prefix: key.prefix,
        keyHash: key.keyHash,
        scopes: key.scopes,
        createdBy: caller.kind === 'user' ? caller.userId : null,
        expiresAt: key.expiresAt ? new Date(key.expiresAt) : null,
      })
      .returning()
    if (!inserted) throw new Error('insert returned no row')
    await recordAudit(tx, caller, { action, targetType: 'api_key', targetId: inserted.id, details: { name: key.name, prefix: key.prefix, scopes: key.scopes } })
    return inserted
  })
}

const create = createRoute({
  method: 'post',
  path: '/v1/api-keys',
  tags: ['API keys'],
  summary: 'Create an API key (admin); the key is in this response only',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeySchema } } } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: CreatedApiKeySchema } } }, 403: errorResponse('Not an admin') },
})

const importKey = createRoute({
  method: 'post',
  path: '/v1/api-keys/import',
  tags: ['API keys'],
  summary: 'Register a CLIP Comparador key (clip_…) by its SHA-256 hash (owners), so it keeps working unchanged',
  description: 'The key itself never travels: its holder keeps using it as `X-API-Key` on every route its scopes allow, from the first request after this answer.',
  middleware: requireMember('owner'),
  security: MEMBER_CREDENTIAL,
  request: { body: { required: true, content: { 'application/json': { schema: ImportApiKeySchema } } } },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: ApiKeySchema } } },
    403: errorResponse('Not an owner, or not a signed-in member'),
    409: errorResponse('A key with this hash is already registered (conflict)'),
  },
})

const list = createRoute({
  method: 'get',
  path: '/v1/api-keys',
  tags: ['API keys'],
  summary: 'List the tenant API keys, newest first (admin)',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { query: PageQuerySchema.extend({ includeRevoked: z.enum(['true', 'false']).default('false') }) },
  responses: { 200: { description: 'A page of keys', content: { 'application/json': { schema: pageOf(ApiKeySchema) } } }, 400: INVALID_CURSOR_RESPONSE },
})

const revoke = createRoute({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key (admin); takes effect everywhere within 30 s and closes its live sockets at once',
  middleware: requireScope('admin'),
  security: ANY_CREDENTIAL,
  request: { params: UuidParamSchema },
  responses: { 204: { description: 'Revoked' }, 404: errorResponse('No such key in this tenant') },
})

export const apiKeyRoutes = createRouter()
  .openapi(create, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    const { key, prefix } = generateKey(input.type)
    const scopes = input.scopes ?? [STOREFRONT_SCOPE]
    const keyHash = await sha256Hex(key)
    const row = await storeKey(c.var.db.get(), caller, { name: input.name, prefix, keyHash, scopes, expiresAt: input.expiresAt }, 'api_key.created')
    return c.json({ ...keyJson(row), key }, 201)
  })
  .openapi(importKey, async (c) => {
    const input = c.req.valid('json')
    const caller = c.var.caller
    try {
      const row = await storeKey(c.var.db.get(), caller, input, 'api_key.imported')
      // A lookup of this key before the import cached "unknown"; drop it so the key works at once here.
      await forgetApiKey(row.keyHash)
      return c.json(keyJson(row), 201)
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', `A key with this hash is already registered (${IMPORTED_KEY_PREFIX}… keys are imported once)`)
      throw error
    }
  })
  .openapi(list, async (c) => {
    const { limit, cursor, includeRevoked } = c.req.valid('query')
    const rows = await c.var.db
      .get()
      .select({ key: apiKeys, createdAtText: timestampText(apiKeys.createdAt) })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.tenantId, c.var.caller.tenantId),
          includeRevoked === 'true' ? undefined : isNull(apiKeys.revokedAt),
          olderThan(apiKeys.createdAt, apiKeys.id, cursor),
        ),
      )
      .orderBy(...newestFirst(apiKeys.createdAt, apiKeys.id))
      .limit(limit + 1)
    return c.json(toPage(rows, limit, (r) => keyJson(r.key), (r) => [r.createdAtText, r.key.id]), 200)
  })
  .openapi(revoke, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    const revoked = await c.var.db.get().transaction(async (tx) => {
      const [row] = await tx
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, caller.tenantId), isNull(apiKeys.revokedAt)))
        .returning()
      if (!row) throw new ApiError('not_found', 'No active API key with this id')
      await recordAudit(tx, caller, { action: 'api_key.revoked', targetType: 'api_key', targetId: row.id, details: { name: row.name } })
      return row
    })
    await forgetApiKey(revoked.keyHash)
    await closeCredentialSockets(c.env, caller.tenantId, () => c.var.db.get(), { keyIds: [revoked.id] })
    return c.body(null, 204)
  })
