// Attribute definitions: the typed fields products and variants carry (text, number, date, yes/no, lists). The key of
// a new attribute follows its label ("Color correa" → color_correa) until the person edits it.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { keyFromLabel, isValidKey } from '../attribute-key'
import { t, type MessageKey } from '../i18n'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Definition = Schemas['AttributeDefinition']
type Type = Definition['type']
type Target = Definition['appliesTo']
const TYPES: Type[] = ['text', 'number', 'date', 'boolean', 'list']
const TYPE_LABELS: Record<Type, MessageKey> = {
  text: 'attributes.type.text',
  number: 'attributes.type.number',
  date: 'attributes.type.date',
  boolean: 'attributes.type.boolean',
  list: 'attributes.type.list',
}

const splitOptions = (text: string) =>
  text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)

function DefinitionRow(props: { definition: Definition; act: (work: () => Promise<unknown>) => Promise<boolean> }) {
  const { definition: def, act } = props
  const [label, setLabel] = useState(def.label)
  const [options, setOptions] = useState(def.options.join(', '))
  const [required, setRequired] = useState(def.required)
  return (
    <li class="card definition">
      <form
        class="definition-form"
        onSubmit={(event) => {
          event.preventDefault()
          void act(() => api.patch('/v1/attributes/{id}', { path: { id: def.id }, body: { label, required, ...(def.type === 'list' ? { options: splitOptions(options) } : {}) } }))
        }}
      >
        <p>
          <code>{def.key}</code>{' '}
          {t(def.appliesTo === 'variant' ? 'attributes.summaryVariant' : 'attributes.summaryProduct', {
            type: t(TYPE_LABELS[def.type]),
            multiple: def.multiple ? t('attributes.several') : '',
          })}
        </p>
        <Field label={t('attributes.labelOf', { key: def.key })}>{(id) => <input id={id} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />}</Field>
        {def.type === 'list' ? (
          <Field label={t('attributes.optionsOf', { key: def.key })} hint={t('attributes.commaSeparated')}>
            {(id) => <input id={id} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />}
          </Field>
        ) : null}
        <label>
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.currentTarget.checked)} /> {t('attributes.required')}
        </label>
        <div class="form-actions">
          <button type="submit">{t('common.save')}</button>
          <button
            type="button"
            class="danger"
            aria-label={t('attributes.deleteNamed', { key: def.key })}
            onClick={() => confirm(t('attributes.confirmDelete', { key: def.key })) && void act(() => api.delete('/v1/attributes/{id}', { path: { id: def.id } }))}
          >
            {t('common.delete')}
          </button>
        </div>
      </form>
    </li>
  )
}

/** The attribute definitions page. */
export function AttributesPage() {
  const definitions = useResource(() => api.get('/v1/attributes'), [])
  const [draft, setDraft] = useState({ key: '', label: '', type: 'text' as Type, multiple: false, options: '', required: false, appliesTo: 'product' as Target })
  const [keyEdited, setKeyEdited] = useState(false)
  const { error, act } = useAction(definitions.reload)
  const issues = fieldErrors(error)
  const create = (event: Event) => {
    event.preventDefault()
    const { options, ...rest } = draft
    void act(() => api.post('/v1/attributes', { body: { ...rest, options: draft.type === 'list' ? splitOptions(options) : [] } })).then(
      (ok) => ok && (setDraft({ ...draft, key: '', label: '', options: '' }), setKeyEdited(false)),
    )
  }
  return (
    <section>
      <PageHeader title={t('nav.attributes')} />
      <ErrorBanner error={error ?? definitions.error} />
      <form class="card inline-form" onSubmit={create} noValidate>
        <h2>{t('attributes.new')}</h2>
        <TextField
          label={t('attributes.label')}
          placeholder={t('attributes.labelPlaceholder')}
          value={draft.label}
          error={issues.label}
          onInput={(e) => {
            const label = e.currentTarget.value
            setDraft({ ...draft, label, key: keyEdited ? draft.key : keyFromLabel(label) })
          }}
        />
        <TextField
          label={t('attributes.key')}
          hint={t('attributes.keyHint')}
          value={draft.key}
          error={issues.key ?? (draft.key !== '' && !isValidKey(draft.key) ? t('attributes.keyInvalid') : undefined)}
          onInput={(e) => {
            setKeyEdited(e.currentTarget.value !== '')
            setDraft({ ...draft, key: e.currentTarget.value })
          }}
        />
        <Field label={t('attributes.type')} error={issues.type}>
          {(id) => (
            <select id={id} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value as Type })}>
              {TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(TYPE_LABELS[type])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('attributes.appliesTo')}>
          {(id) => (
            <select id={id} value={draft.appliesTo} onChange={(e) => setDraft({ ...draft, appliesTo: e.currentTarget.value as Target })}>
              <option value="product">{t('attributes.products')}</option>
              <option value="variant">{t('attributes.variants')}</option>
            </select>
          )}
        </Field>
        {draft.type === 'list' ? (
          <>
            <TextField label={t('attributes.options')} hint={t('attributes.commaSeparated')} value={draft.options} error={issues.options} onInput={(e) => setDraft({ ...draft, options: e.currentTarget.value })} />
            <label>
              <input type="checkbox" checked={draft.multiple} onChange={(e) => setDraft({ ...draft, multiple: e.currentTarget.checked })} /> {t('attributes.severalValues')}
            </label>
          </>
        ) : null}
        <label>
          <input type="checkbox" checked={draft.required} onChange={(e) => setDraft({ ...draft, required: e.currentTarget.checked })} /> {t('attributes.required')}
        </label>
        <button class="primary" type="submit">
          {t('attributes.add')}
        </button>
      </form>
      {definitions.data === undefined ? (
        <Skeleton rows={3} label={t('attributes.loading')} />
      ) : definitions.data.data.length === 0 ? (
        <EmptyState title={t('attributes.empty')}>
          <p>{t('attributes.emptyText')}</p>
        </EmptyState>
      ) : (
        <ul class="definition-list">
          {definitions.data.data.map((def) => (
            <DefinitionRow key={`${def.id}:${def.label}:${def.options.join()}:${def.required}`} definition={def} act={act} />
          ))}
        </ul>
      )}
    </section>
  )
}
