// Small shared pieces every page uses: labelled fields with their API error, error banners, empty states, skeletons.
import type { ComponentChildren, InputHTMLAttributes } from 'preact'
import { useId } from 'preact/hooks'
import { errorMessage } from '../api/errors'
import { t } from '../i18n'

/** A label, the control `children` renders with the given id, and the field's error from the API underneath. */
export function Field(props: { label: string; error?: string | undefined; hint?: string; children: (id: string, describedBy: string | undefined) => ComponentChildren }) {
  const id = useId()
  const errorId = `${id}-error`
  return (
    <div class={`field${props.error ? ' field--invalid' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children(id, props.error ? errorId : undefined)}
      {props.hint && !props.error ? <small class="hint">{props.hint}</small> : null}
      {props.error ? (
        <small class="field-error" id={errorId} role="alert">
          {props.error}
        </small>
      ) : null}
    </div>
  )
}

/** A text-like input with its label and API error. */
export function TextField(props: { label: string; error?: string | undefined; hint?: string } & InputHTMLAttributes) {
  const { label, error, hint, ...input } = props
  return (
    <Field label={label} error={error} {...(hint ? { hint } : {})}>
      {(id, describedBy) => <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />}
    </Field>
  )
}

/** The API's `error.message` in a banner; nothing when there is no error. */
export function ErrorBanner(props: { error: unknown }) {
  if (!props.error) return null
  return (
    <p class="banner banner--error" role="alert">
      {errorMessage(props.error)}
    </p>
  )
}

/** What a list shows when it has nothing yet. */
export function EmptyState(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      {props.children}
    </div>
  )
}

/** Grey placeholder rows that take the space the data will take. */
export function Skeleton(props: { rows?: number; label?: string }) {
  return (
    <div class="skeleton" aria-busy="true" aria-label={props.label ?? t('common.loading')}>
      {Array.from({ length: props.rows ?? 3 }, (_, i) => (
        <div key={i} class="skeleton-row" />
      ))}
    </div>
  )
}

/** A page's title row with optional actions on the right. */
export function PageHeader(props: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1>{props.title}</h1>
      {props.children ? <div class="page-actions">{props.children}</div> : null}
    </header>
  )
}
