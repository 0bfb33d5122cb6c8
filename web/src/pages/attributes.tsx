// Attribute definitions: the typed fields products and variants carry (text, number, date, yes/no, lists).
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Definition = Schemas['AttributeDefinition']
type Type = Definition['type']
type Target = Definition['appliesTo']
const TYPES: Type[] = ['text', 'number', 'date', 'boolean', 'list']

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
          <code>{def.key}</code> · {def.type}
          {def.multiple ? ' (several)' : ''} · on {def.appliesTo}s
        </p>
        <Field label={`Label of ${def.key}`}>{(id) => <input id={id} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />}</Field>
        {def.type === 'list' ? (
          <Field label={`Options of ${def.key}`} hint="Comma-separated">
            {(id) => <input id={id} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />}
          </Field>
        ) : null}
        <label>
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.currentTarget.checked)} /> Required
        </label>
        <div class="form-actions">
          <button type="submit">Save</button>
          <button
            type="button"
            class="danger"
            aria-label={`Delete ${def.key}`}
            onClick={() => confirm(`Delete “${def.key}”? Stored values stay and are reported as issues.`) && void act(() => api.delete('/v1/attributes/{id}', { path: { id: def.id } }))}
          >
            Delete
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
  const { error, act } = useAction(definitions.reload)
  const issues = fieldErrors(error)
  const create = (event: Event) => {
    event.preventDefault()
    const { options, ...rest } = draft
    void act(() => api.post('/v1/attributes', { body: { ...rest, options: draft.type === 'list' ? splitOptions(options) : [] } })).then(
      (ok) => ok && setDraft({ ...draft, key: '', label: '', options: '' }),
    )
  }
  return (
    <section>
      <PageHeader title="Attributes" />
      <ErrorBanner error={error ?? definitions.error} />
      <form class="card inline-form" onSubmit={create} noValidate>
        <h2>New attribute</h2>
        <TextField label="Key" placeholder="water_resistance" value={draft.key} error={issues.key} onInput={(e) => setDraft({ ...draft, key: e.currentTarget.value })} />
        <TextField label="Label" value={draft.label} error={issues.label} onInput={(e) => setDraft({ ...draft, label: e.currentTarget.value })} />
        <Field label="Type" error={issues.type}>
          {(id) => (
            <select id={id} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value as Type })}>
              {TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Applies to">
          {(id) => (
            <select id={id} value={draft.appliesTo} onChange={(e) => setDraft({ ...draft, appliesTo: e.currentTarget.value as Target })}>
              <option value="product">Products</option>
              <option value="variant">Variants</option>
            </select>
          )}
        </Field>
        {draft.type === 'list' ? (
          <>
            <TextField label="Options" hint="Comma-separated" value={draft.options} error={issues.options} onInput={(e) => setDraft({ ...draft, options: e.currentTarget.value })} />
            <label>
              <input type="checkbox" checked={draft.multiple} onChange={(e) => setDraft({ ...draft, multiple: e.currentTarget.checked })} /> Several values
            </label>
          </>
        ) : null}
        <label>
          <input type="checkbox" checked={draft.required} onChange={(e) => setDraft({ ...draft, required: e.currentTarget.checked })} /> Required
        </label>
        <button class="primary" type="submit">
          Add attribute
        </button>
      </form>
      {definitions.data === undefined ? (
        <Skeleton rows={3} label="Loading attributes" />
      ) : definitions.data.data.length === 0 ? (
        <EmptyState title="No attributes yet">
          <p>Attributes add typed fields to products, such as a material or a size chart.</p>
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
