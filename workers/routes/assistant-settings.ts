// The chat assistant's settings per tenant: read them with any read credential, replace them as an admin.
import { createRoute } from '@hono/zod-openapi'
import { AssistantSettingsSchema, forgetAssistantSettings, loadAssistantSettings, saveAssistantSettings } from '../chat/settings'
import { recordAudit } from '../lib/audit'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../lib/openapi'
import { requireScope } from '../middleware/authenticate'

const path = '/v1/assistant/settings'
const common = { tags: ['Chat'], security: ANY_CREDENTIAL, path }

const read = createRoute({
  ...common,
  method: 'get',
  summary: 'The chat assistant\'s settings (defaults until changed)',
  middleware: requireScope('read'),
  responses: { 200: jsonResponse('Settings', AssistantSettingsSchema), 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing'), 429: errorResponse('Rate limited') },
})

const replace = createRoute({
  ...common,
  method: 'put',
  summary: 'Replace the chat assistant\'s settings (admin); omitted fields take their defaults',
  middleware: requireScope('admin'),
  request: { body: jsonBody(AssistantSettingsSchema) },
  responses: {
    200: jsonResponse('Settings', AssistantSettingsSchema),
    400: errorResponse('Invalid fields'),
    401: errorResponse('No valid credential'),
    403: errorResponse('Not an admin'),
    429: errorResponse('Rate limited'),
  },
})

export const assistantSettingsRoutes = createRouter()
  .openapi(read, async (c) => c.json(await loadAssistantSettings(c.var.db.get(), c.var.caller.tenantId), 200))
  .openapi(replace, async (c) => {
    const settings = c.req.valid('json')
    const db = c.var.db.get()
    await saveAssistantSettings(db, c.var.caller.tenantId, settings)
    forgetAssistantSettings(c.var.caller.tenantId)
    await recordAudit(db, c.var.caller, { action: 'assistant.settings_changed', targetType: 'tenant', targetId: c.var.caller.tenantId, details: { enabled: settings.enabled, tools: settings.tools } })
    return c.json(settings, 200)
  })
