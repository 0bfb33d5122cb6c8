// Which providers serve a tenant: its own ordered list (credentials decrypted), or the platform defaults from the
// AI_PROVIDERS secret when it has none. Each set has its own ProviderHealth object.
import { and, asc, eq } from 'drizzle-orm'
import { z } from '@hono/zod-openapi'
import type { Database } from '../db/client'
import { AI_PROVIDER_KINDS, aiProviders } from '../db/schema/ai'
import { decryptCredential, type CredentialSecrets } from './credentials'
import { IsolateCache } from '../lib/isolate-cache'
import type { ProviderConfig } from './types'

/** Optional secrets of the gateway, read when present (not declared in wrangler.toml). */
export interface OptionalAiSecrets {
  AI_PROVIDERS?: string
  AI_CREDENTIALS_KEY_PREVIOUS?: string
  AI_BREAKER_CONFIG?: string
}

/** Default time to the first token before a provider counts as failed and the next one is tried. */
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 10_000

const PlatformProviderSchema = z.object({
  kind: z.enum(AI_PROVIDER_KINDS),
  name: z.string().min(1),
  baseUrl: z.string().optional(),
  hfProvider: z.string().optional(),
  model: z.string().min(1),
  apiKey: z.string().optional(),
  inputPricePerMTok: z.number().nonnegative().default(0),
  outputPricePerMTok: z.number().nonnegative().default(0),
  firstTokenTimeoutMs: z.number().int().positive().default(DEFAULT_FIRST_TOKEN_TIMEOUT_MS),
})

/** The set of providers that serves a call, and the name of the ProviderHealth object that watches them. */
export interface ProviderSet {
  scope: 'tenant' | 'platform'
  healthName: string
  providers: ProviderConfig[]
}

/** The platform default providers (AI_PROVIDERS, a JSON array); an unreadable secret yields none and says so in the log. */
export function platformProviders(env: OptionalAiSecrets): ProviderConfig[] {
  if (!env.AI_PROVIDERS) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(env.AI_PROVIDERS)
  } catch {
    console.error(JSON.stringify({ level: 'error', msg: 'AI_PROVIDERS is not JSON' }))
    return []
  }
  const result = z.array(PlatformProviderSchema).safeParse(parsed)
  if (!result.success) {
    console.error(JSON.stringify({ level: 'error', msg: 'AI_PROVIDERS does not match the provider shape', issues: result.error.issues.map((i) => i.path.join('.')) }))
    return []
  }
  return result.data.map((p) => ({
    id: `platform:${p.name}`,
    kind: p.kind,
    name: p.name,
    baseUrl: p.baseUrl ?? null,
    hfProvider: p.hfProvider ?? null,
    model: p.model,
    apiKey: p.apiKey ?? null,
    enabled: true,
    inputPricePerMTok: p.inputPricePerMTok,
    outputPricePerMTok: p.outputPricePerMTok,
    firstTokenTimeoutMs: p.firstTokenTimeoutMs,
  }))
}

/** The tenant's enabled providers in order, decrypted, or the platform defaults when the tenant has none at all. */
export async function providersFor(env: Env & OptionalAiSecrets, db: Database, tenantId: string): Promise<ProviderSet> {
  const rows = await db.select().from(aiProviders).where(eq(aiProviders.tenantId, tenantId)).orderBy(asc(aiProviders.position), asc(aiProviders.createdAt))
  if (rows.length === 0) return { scope: 'platform', healthName: 'platform', providers: platformProviders(env) }
  const secrets: CredentialSecrets = env
  const providers = await Promise.all(
    rows
      .filter((r) => r.enabled)
      .map(async (r): Promise<ProviderConfig> => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        baseUrl: r.baseUrl,
        hfProvider: r.hfProvider,
        model: r.model,
        apiKey: r.apiKeyCiphertext ? await decryptCredential(secrets, r.apiKeyCiphertext, tenantId) : null,
        enabled: r.enabled,
        inputPricePerMTok: r.inputPricePerMTok,
        outputPricePerMTok: r.outputPricePerMTok,
        firstTokenTimeoutMs: r.firstTokenTimeoutMs,
      })),
  )
  return { scope: 'tenant', healthName: `tenant:${tenantId}`, providers }
}

/**
 * How long an isolate serves a tenant's provider list from memory. A change is seen at once in the isolate that made it
 * and within this time everywhere else (a disabled or deleted provider may take one more call there meanwhile).
 */
export const PROVIDER_CACHE_TTL_SECONDS = 10
const providerCache = new IsolateCache<ProviderSet>(PROVIDER_CACHE_TTL_SECONDS * 1000)

/** `providersFor` through the isolate cache: a warm call opens no Postgres connection. */
export function cachedProvidersFor(env: Env & OptionalAiSecrets, db: () => Database, tenantId: string): Promise<ProviderSet> {
  return providerCache.get(tenantId, () => providersFor(env, db(), tenantId))
}

/** Forgets the tenant's cached provider list in this isolate, after a change to its providers. */
export function forgetProviders(tenantId: string): void {
  providerCache.delete(tenantId)
}

/** One provider of the tenant, decrypted, or undefined. */
export async function tenantProvider(env: Env & OptionalAiSecrets, db: Database, tenantId: string, id: string): Promise<ProviderConfig | undefined> {
  const [r] = await db.select().from(aiProviders).where(and(eq(aiProviders.tenantId, tenantId), eq(aiProviders.id, id)))
  if (!r) return undefined
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    baseUrl: r.baseUrl,
    hfProvider: r.hfProvider,
    model: r.model,
    apiKey: r.apiKeyCiphertext ? await decryptCredential(env, r.apiKeyCiphertext, tenantId) : null,
    enabled: r.enabled,
    inputPricePerMTok: r.inputPricePerMTok,
    outputPricePerMTok: r.outputPricePerMTok,
    firstTokenTimeoutMs: r.firstTokenTimeoutMs,
  }
}
