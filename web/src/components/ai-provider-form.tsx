// Adding or editing an AI provider: kind, name, base URL, model, a write-only API key (only its last four characters
// ever come back), prices per million tokens typed in the person's number format, and a test call of the saved settings.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { ApiError, fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { decimalText, parseDecimal } from '../decimal'
import { intlLocale } from '../i18n/locale'
import { ErrorBanner, Field, TextField } from './ui'

type Provider = Schemas['AiProvider']
type Kind = Provider['kind']

/** The provider kinds the API knows, with their labels. */
export const KIND_LABEL: Record<Kind, MessageKey> = { 'openai-compatible': 'ai.kind.openai', huggingface: 'ai.kind.huggingface', 'workers-ai': 'ai.kind.workersAi' }
const KINDS = Object.keys(KIND_LABEL) as Kind[]

/** Why the API refused a baseUrl (`details[].code` of the URL guard), in the UI's language. */
const URL_REFUSALS: Record<string, MessageKey> = {
  invalid_url: 'ai.url.invalid',
  unsupported_scheme: 'ai.url.scheme',
  forbidden_address: 'ai.url.forbidden',
  dns_failure: 'ai.url.dns',
  unresolvable_host: 'ai.url.dns',
  unavailable: 'ai.kind.unavailable',
}

interface Draft {
  kind: Kind
  name: string
  baseUrl: string
  hfProvider: string
  model: string
  apiKey: string
  removeKey: boolean
  enabled: boolean
  inputPrice: string
  outputPrice: string
  timeoutMs: string
}

function draftOf(provider: Provider | null): Draft {
  return {
    kind: provider?.kind ?? 'openai-compatible',
    name: provider?.name ?? '',
    baseUrl: provider?.baseUrl ?? '',
    hfProvider: provider?.hfProvider ?? '',
    model: provider?.model ?? '',
    apiKey: '',
    removeKey: false,
    enabled: provider?.enabled ?? true,
    inputPrice: decimalText(provider?.inputPricePerMTok ?? 0, intlLocale()),
    outputPrice: decimalText(provider?.outputPricePerMTok ?? 0, intlLocale()),
    timeoutMs: String(provider?.firstTokenTimeoutMs ?? 10_000),
  }
}

/** The answer of `POST /v1/ai/providers/{id}/test` as a sentence. */
export function testResultText(result: Schemas['AiProviderTest']): string {
  if (result.ok) return t('ai.test.ok', { ms: result.latencyMs })
  const reason = result.error ?? t('ai.test.noReason')
  return result.status ? t('ai.test.failedStatus', { ms: result.latencyMs, status: result.status, reason }) : t('ai.test.failed', { ms: result.latencyMs, reason })
}

/** The test button and its latest answer, for a saved provider. */
export function TestButton(props: { provider: Provider }) {
  const [result, setResult] = useState<Schemas['AiProviderTest'] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [running, setRunning] = useState(false)
  const run = async () => {
    setRunning(true)
    setError(null)
    setResult(null)
    try {
      setResult(await api.post('/v1/ai/providers/{id}/test', { path: { id: props.provider.id } }))
    } catch (caught) {
      setError(caught)
    } finally {
      setRunning(false)
    }
  }
  return (
    <div class="provider-test">
      <button type="button" onClick={() => void run()} disabled={running} aria-label={t('ai.test.buttonNamed', { name: props.provider.name })}>
        {running ? t('ai.test.running') : t('ai.test.button')}
      </button>
      <span role="status" data-testid="test-result" class={result ? (result.ok ? 'test-ok' : 'test-failed') : undefined}>
        {result ? testResultText(result) : null}
      </span>
      <ErrorBanner error={error} />
    </div>
  )
}

/** The add form (`provider` null) or the edit form of one provider; `onSaved` gets the API's answer. */
export function ProviderForm(props: { provider: Provider | null; onSaved: (provider: Provider) => void; onCancel: () => void }) {
  const editing = props.provider
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing))
  const [error, setError] = useState<unknown>(null)
  const [local, setLocal] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const issues = { ...fieldErrors(error), ...urlIssue(error), ...local }

  const submit = async (event: Event) => {
    event.preventDefault()
    const inputPrice = parseDecimal(draft.inputPrice, intlLocale())
    const outputPrice = parseDecimal(draft.outputPrice, intlLocale())
    const timeout = Number(draft.timeoutMs)
    const problems: Record<string, string> = {}
    if (inputPrice === null) problems.inputPricePerMTok = t('ai.form.priceInvalid')
    if (outputPrice === null) problems.outputPricePerMTok = t('ai.form.priceInvalid')
    if (!Number.isInteger(timeout)) problems.firstTokenTimeoutMs = t('ai.form.timeoutInvalid')
    setLocal(problems)
    setError(null)
    if (Object.keys(problems).length > 0 || inputPrice === null || outputPrice === null) return
    const body = {
      kind: draft.kind,
      name: draft.name,
      baseUrl: draft.baseUrl.trim() || null,
      hfProvider: draft.kind === 'huggingface' ? draft.hfProvider.trim() || null : null,
      model: draft.model,
      enabled: draft.enabled,
      inputPricePerMTok: inputPrice,
      outputPricePerMTok: outputPrice,
      firstTokenTimeoutMs: timeout,
      ...(draft.apiKey ? { apiKey: draft.apiKey } : draft.removeKey ? { apiKey: null } : {}),
    }
    setSaving(true)
    try {
      const saved = editing ? await api.patch('/v1/ai/providers/{id}', { path: { id: editing.id }, body }) : await api.post('/v1/ai/providers', { body })
      setDraft((d) => ({ ...d, apiKey: '', removeKey: false }))
      props.onSaved(saved)
    } catch (caught) {
      setError(caught)
    } finally {
      setSaving(false)
    }
  }

  const title = editing ? t('ai.form.editTitle', { name: editing.name }) : t('ai.form.addTitle')
  return (
    <form class="card provider-form" onSubmit={submit} noValidate aria-label={title}>
      <h3>{title}</h3>
      <FormBanner error={error} />
      <div class="grid-2">
        <Field label={t('ai.form.kind')} error={issues.kind}>
          {(id) => (
            <select id={id} value={draft.kind} onChange={(e) => set('kind', e.currentTarget.value as Kind)}>
              {KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(KIND_LABEL[kind])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField label={t('ai.form.name')} value={draft.name} error={issues.name} placeholder={t('ai.form.namePlaceholder')} onInput={(e) => set('name', e.currentTarget.value)} />
        <TextField
          label={t('ai.form.baseUrl')}
          type="url"
          value={draft.baseUrl}
          error={issues.baseUrl}
          hint={draft.kind === 'huggingface' ? t('ai.form.baseUrlHintHf') : t('ai.form.baseUrlHint')}
          placeholder={t('ai.form.baseUrlPlaceholder')}
          onInput={(e) => set('baseUrl', e.currentTarget.value)}
        />
        {draft.kind === 'huggingface' ? (
          <TextField label={t('ai.form.hfProvider')} value={draft.hfProvider} error={issues.hfProvider} hint={t('ai.form.hfProviderHint')} onInput={(e) => set('hfProvider', e.currentTarget.value)} />
        ) : null}
        <TextField label={t('ai.form.model')} value={draft.model} error={issues.model} hint={t('ai.form.modelHint')} onInput={(e) => set('model', e.currentTarget.value)} />
        <TextField
          label={t('ai.form.apiKey')}
          type="password"
          autoComplete="off"
          value={draft.apiKey}
          error={issues.apiKey}
          hint={editing?.apiKeyLast4 ? t('ai.form.apiKeyStored', { last4: editing.apiKeyLast4 }) : t('ai.form.apiKeyHint')}
          onInput={(e) => set('apiKey', e.currentTarget.value)}
        />
        <TextField label={t('ai.form.inputPrice')} inputMode="decimal" value={draft.inputPrice} error={issues.inputPricePerMTok} hint={t('ai.form.priceHint')} onInput={(e) => set('inputPrice', e.currentTarget.value)} />
        <TextField label={t('ai.form.outputPrice')} inputMode="decimal" value={draft.outputPrice} error={issues.outputPricePerMTok} hint={t('ai.form.priceHint')} onInput={(e) => set('outputPrice', e.currentTarget.value)} />
        <TextField
          label={t('ai.form.timeout')}
          type="number"
          min={100}
          max={120000}
          step={100}
          value={draft.timeoutMs}
          error={issues.firstTokenTimeoutMs}
          hint={t('ai.form.timeoutHint')}
          onInput={(e) => set('timeoutMs', e.currentTarget.value)}
        />
      </div>
      <div class="checks">
        <label>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} /> {t('ai.form.enabled')}
        </label>
        {editing?.apiKeyLast4 ? (
          <label>
            <input type="checkbox" checked={draft.removeKey} disabled={draft.apiKey !== ''} onChange={(e) => set('removeKey', e.currentTarget.checked)} /> {t('ai.form.removeKey')}
          </label>
        ) : null}
      </div>
      <div class="form-actions">
        <button class="primary" type="submit" disabled={saving}>
          {editing ? t('ai.form.save') : t('ai.form.add')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('ai.form.cancel')}
        </button>
        {editing ? <TestButton provider={editing} /> : null}
      </div>
      {editing ? <small class="muted">{t('ai.form.testHint')}</small> : null}
    </form>
  )
}

/** The form's error banner: a refused URL or kind in the UI's language, otherwise the usual translated error. */
function FormBanner(props: { error: unknown }) {
  const refused = Object.entries(urlIssue(props.error))[0]
  if (!refused) return <ErrorBanner error={props.error} />
  return (
    <p class="banner banner--error" role="alert">
      {t('error.invalid_field', { field: refused[0], problem: refused[1] })}
    </p>
  )
}

/** The URL guard's refusal of `baseUrl` (or of the kind) translated from its code. */
function urlIssue(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {}
  const out: Record<string, string> = {}
  for (const issue of error.details as { path?: unknown; code?: unknown }[]) {
    const key = typeof issue.code === 'string' ? URL_REFUSALS[issue.code] : undefined
    if (key && typeof issue.path === 'string') out[issue.path] = t(key)
  }
  return out
}
