// The assistant's per-tenant settings (`tenants.settings.assistant`): on or off, its name, instructions, default
// language (a reply follows the shopper's language) and the tools it may call. Bad stored values fall back to defaults.
import { sql } from 'drizzle-orm'
import { z } from '@hono/zod-openapi'
import { queryRows, type Database } from '../db/client'
import { IsolateCache } from '../lib/isolate-cache'

/** Every tool the assistant knows. */
export const ASSISTANT_TOOLS = ['search_products', 'get_product', 'check_stock', 'add_to_cart', 'handoff'] as const
export type AssistantTool = (typeof ASSISTANT_TOOLS)[number]

export const AssistantSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).openapi({ description: 'On by default; it answers only when the tenant or the platform has an AI provider' }),
    name: z.string().trim().min(1).max(60).default('Asistente'),
    instructions: z.string().max(4_000).default(''),
    language: z.enum(['es', 'en']).default('es').openapi({ description: 'Default language; a reply follows the shopper\'s language' }),
    tools: z.array(z.enum(ASSISTANT_TOOLS)).max(ASSISTANT_TOOLS.length).default([...ASSISTANT_TOOLS]),
  })
  .openapi('AssistantSettings')

/** The assistant's settings as the room reads them. */
export type AssistantSettings = z.output<typeof AssistantSettingsSchema>

/** Parses stored settings; anything unreadable becomes the default. */
export function assistantSettingsFrom(value: unknown): AssistantSettings {
  const parsed = AssistantSettingsSchema.safeParse(value ?? {})
  return parsed.success ? parsed.data : AssistantSettingsSchema.parse({})
}

/** Reads the tenant's assistant settings. */
export async function loadAssistantSettings(db: Database, tenantId: string): Promise<AssistantSettings> {
  const [row] = await queryRows<{ assistant: unknown }>(db, sql`select settings->'assistant' as assistant from tenants where id = ${tenantId}`)
  return assistantSettingsFrom(row?.assistant)
}

/** Replaces the tenant's assistant settings (other settings untouched). */
export async function saveAssistantSettings(db: Database, tenantId: string, settings: AssistantSettings): Promise<void> {
  await db.execute(sql`update tenants set settings = jsonb_set(settings, '{assistant}', ${JSON.stringify(settings)}::jsonb, true), updated_at = now() where id = ${tenantId}`)
}

/** How long a room's isolate keeps a tenant's assistant settings; a change reaches every room within this time. */
export const ASSISTANT_SETTINGS_CACHE_TTL_SECONDS = 30
const settingsCache = new IsolateCache<AssistantSettings>(ASSISTANT_SETTINGS_CACHE_TTL_SECONDS * 1000)

/** The tenant's assistant settings through a short isolate cache, so a busy room does not read Postgres per message. */
export function cachedAssistantSettings(db: () => Database, tenantId: string): Promise<AssistantSettings> {
  return settingsCache.get(tenantId, () => loadAssistantSettings(db(), tenantId))
}

/** Forgets the tenant's cached settings in this isolate, after a change. */
export function forgetAssistantSettings(tenantId: string): void {
  settingsCache.delete(tenantId)
}
