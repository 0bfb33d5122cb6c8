// Inputs for the tenant's dynamic attributes, one per definition and rendered by its type: text, number, date,
// checkbox, select, or multi-select for lists that allow several values.
import type { Schemas } from '../api/schema'
import { Field } from './ui'

type Definition = Schemas['AttributeDefinition']
type Values = Schemas['AttributeValues']
type Value = Values[string]

function AttributeInput(props: { definition: Definition; value: Value | undefined; onChange: (value: Value | undefined) => void; id: string; describedBy: string | undefined }) {
  const { definition: def, value, onChange, id } = props
  const common = { id, 'aria-describedby': props.describedBy, required: def.required }
  switch (def.type) {
    case 'number':
      return (
        <input
          {...common}
          type="number"
          step="any"
          value={typeof value === 'number' ? String(value) : ''}
          onInput={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.valueAsNumber)}
        />
      )
    case 'date':
      return <input {...common} type="date" value={typeof value === 'string' ? value : ''} onInput={(e) => onChange(e.currentTarget.value || undefined)} />
    case 'boolean':
      return <input {...common} required={false} type="checkbox" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
    case 'list':
      if (def.multiple) {
        const selected = Array.isArray(value) ? value : []
        return (
          <select
            {...common}
            multiple
            size={Math.min(Math.max(def.options.length, 2), 6)}
            onChange={(e) => {
              const chosen = Array.from(e.currentTarget.selectedOptions, (option) => option.value)
              onChange(chosen.length === 0 ? undefined : chosen)
            }}
          >
            {def.options.map((option) => (
              <option key={option} value={option} selected={selected.includes(option)}>
                {option}
              </option>
            ))}
          </select>
        )
      }
      return (
        <select {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value || undefined)}>
          <option value="">—</option>
          {def.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )
    default:
      return <input {...common} type="text" value={typeof value === 'string' ? value : ''} onInput={(e) => onChange(e.currentTarget.value || undefined)} />
  }
}

/** One labelled input per definition; `errors` are the API's field issues keyed `${pathPrefix}.${key}`. */
export function AttributeInputs(props: { definitions: Definition[]; values: Values; onChange: (values: Values) => void; errors: Record<string, string>; pathPrefix: string }) {
  const known = new Set(props.definitions.map((d) => d.key))
  const unknownIssues = Object.entries(props.errors).filter(([path]) => path.startsWith(`${props.pathPrefix}.`) && !known.has(path.slice(props.pathPrefix.length + 1)))
  const set = (key: string, value: Value | undefined) => {
    const next = { ...props.values }
    if (value === undefined) delete next[key]
    else next[key] = value
    props.onChange(next)
  }
  return (
    <div class="attribute-grid">
      {props.definitions.map((def) => (
        <Field key={def.id} label={`${def.label}${def.required ? ' *' : ''}`} error={props.errors[`${props.pathPrefix}.${def.key}`]}>
          {(id, describedBy) => <AttributeInput definition={def} value={props.values[def.key]} onChange={(value) => set(def.key, value)} id={id} describedBy={describedBy} />}
        </Field>
      ))}
      {unknownIssues.map(([path, message]) => (
        <p key={path} class="field-error" role="alert">
          {path}: {message}
        </p>
      ))}
    </div>
  )
}
