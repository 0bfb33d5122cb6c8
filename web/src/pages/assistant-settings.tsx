// The Assistant settings page (admins): on or off, name, instructions, default language, the tools it may call and
// whether it may hand off to a person; the API's validation errors show next to their fields.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import './live-chats.css'

/** The settings as GET answers them: every field present (PUT accepts them omitted). */
type Settings = Required<Schemas['AssistantSettings']>
type Tool = Settings['tools'][number]

/** The catalogue tools, in the order the page lists them; `handoff` is the handoff rule, shown on its own. */
const CATALOG_TOOLS: readonly Tool[] = ['search_products', 'get_product', 'check_stock', 'add_to_cart']
const TOOL_LABELS: Record<Tool, MessageKey> = {
  search_products: 'assistant.tool.search_products',
  get_product: 'assistant.tool.get_product',
  check_stock: 'assistant.tool.check_stock',
  add_to_cart: 'assistant.tool.add_to_cart',
  handoff: 'assistant.tool.handoff',
}

function SettingsForm(props: { initial: Settings; reload: () => void }) {
  const [draft, setDraft] = useState<Settings>(props.initial)
  const [saved, setSaved] = useState(false)
  const { error, act } = useAction(props.reload)
  const errors = fieldErrors(error)
  const update = (change: Partial<Settings>) => {
    setSaved(false)
    setDraft({ ...draft, ...change })
  }
  const toggleTool = (tool: Tool, on: boolean) => update({ tools: on ? [...draft.tools.filter((x) => x !== tool), tool] : draft.tools.filter((x) => x !== tool) })
  const save = async (event: Event) => {
    event.preventDefault()
    setSaved(await act(() => api.put('/v1/assistant/settings', { body: draft })))
  }
  return (
    <form class="card form" aria-label={t('nav.assistant')} onSubmit={(e) => void save(e)} noValidate>
      <ErrorBanner error={Object.keys(errors).length > 0 ? null : error} />
      <label class="checkbox">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} /> {t('assistant.enabled')}
      </label>
      <small class="hint">{t('assistant.enabledHint')}</small>
      <TextField label={t('assistant.name')} name="name" value={draft.name} error={errors.name} maxLength={60} onInput={(e) => update({ name: e.currentTarget.value })} />
      <Field label={t('assistant.instructions')} error={errors.instructions} hint={t('assistant.instructionsHint')}>
        {(id, describedBy) => (
          <textarea id={id} name="instructions" rows={6} value={draft.instructions} aria-invalid={errors.instructions ? true : undefined} aria-describedby={describedBy} onInput={(e) => update({ instructions: e.currentTarget.value })} />
        )}
      </Field>
      <Field label={t('assistant.language')} error={errors.language} hint={t('assistant.languageHint')}>
        {(id, describedBy) => (
          <select id={id} name="language" value={draft.language} aria-describedby={describedBy} onChange={(e) => update({ language: e.currentTarget.value === 'en' ? 'en' : 'es' })}>
            <option value="es">{t('assistant.language.es')}</option>
            <option value="en">{t('assistant.language.en')}</option>
          </select>
        )}
      </Field>
      <fieldset class="assistant-tools">
        <legend>{t('assistant.tools')}</legend>
        {CATALOG_TOOLS.map((tool) => (
          <label key={tool} class="checkbox">
            <input type="checkbox" name={`tool-${tool}`} checked={draft.tools.includes(tool)} onChange={(e) => toggleTool(tool, e.currentTarget.checked)} /> {t(TOOL_LABELS[tool])}
          </label>
        ))}
        {errors.tools ? <small class="field-error" role="alert">{errors.tools}</small> : null}
      </fieldset>
      <fieldset>
        <legend>{t('assistant.handoff')}</legend>
        <label class="checkbox">
          <input type="checkbox" name="tool-handoff" checked={draft.tools.includes('handoff')} onChange={(e) => toggleTool('handoff', e.currentTarget.checked)} /> {t(TOOL_LABELS.handoff)}
        </label>
        <small class="hint">{t('assistant.handoffHint')}</small>
      </fieldset>
      <div class="toolbar">
        <button type="submit" class="primary">
          {t('assistant.save')}
        </button>
        {saved ? (
          <span class="muted" role="status">
            {t('assistant.saved')}
          </span>
        ) : null}
      </div>
    </form>
  )
}

/** The whole page. */
export function AssistantSettingsPage() {
  const settings = useResource(() => api.get('/v1/assistant/settings'), [])
  return (
    <section>
      <PageHeader title={t('nav.assistant')} />
      <p class="muted">{t('assistant.intro')}</p>
      {settings.data ? <SettingsForm initial={settings.data as Settings} reload={settings.reload} /> : settings.error ? <ErrorBanner error={settings.error} /> : <Skeleton rows={6} />}
    </section>
  )
}
