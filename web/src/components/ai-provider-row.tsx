// One AI provider in the fallback list: what it is, its live health, and its actions (move up/down for keyboards beside
// dragging, test, edit, force the breaker open or closed or back to automatic, delete).
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { formatUsd } from './ai-usage-chart'
import { KIND_LABEL, ProviderForm, TestButton } from './ai-provider-form'
import { ProviderHealthView } from './ai-provider-health'

type Provider = Schemas['AiProvider']
/** What the breaker buttons ask the API for. */
export type BreakerChoice = 'open' | 'closed' | 'auto'

/** Handlers a row calls; the page owns the list and the API calls. */
export interface RowActions {
  move: (id: string, by: -1 | 1) => void
  edit: (id: string | null) => void
  saved: (provider: Provider) => void
  remove: (provider: Provider) => void
  breaker: (provider: Provider, choice: BreakerChoice) => void
  dragStart: (id: string) => void
  dropOn: (id: string) => void
}

/** One row; `index`/`count` decide which move buttons apply, `editing` shows the edit form in place. */
export function ProviderRow(props: { provider: Provider; index: number; count: number; editing: boolean; dragging: boolean; actions: RowActions }) {
  const { provider: p, actions } = props
  const forced = p.health?.forced ?? null
  return (
    <li
      class={`card provider-row${props.dragging ? ' provider-row--dragging' : ''}${p.enabled ? '' : ' provider-row--disabled'}`}
      data-provider-id={p.id}
      draggable={!props.editing}
      onDragStart={(e) => {
        e.dataTransfer?.setData('text/plain', p.id)
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
        actions.dragStart(p.id)
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault()
        actions.dropOn(p.id)
      }}
    >
      <div class="provider-head">
        <span class="drag-handle" aria-hidden="true" title={t('ai.list.dragHint')}>
          ⋮⋮
        </span>
        <span class="provider-position">{t('ai.list.position', { position: props.index + 1 })}</span>
        <div class="provider-what">
          <strong class="provider-name">{p.name}</strong>
          <small class="muted">
            {t('ai.list.meta', { kind: t(KIND_LABEL[p.kind]), model: p.model })}
            {p.enabled ? null : ` · ${t('ai.list.disabled')}`}
          </small>
          <small class="muted provider-url">{p.baseUrl ?? (p.hfProvider ? t('ai.list.hfRouter', { provider: p.hfProvider }) : t('ai.list.noUrl'))}</small>
          <small class="muted">
            {p.apiKeyLast4 ? t('ai.list.keyLast4', { last4: p.apiKeyLast4 }) : t('ai.list.noKey')} ·{' '}
            {t('ai.list.prices', { input: formatUsd(p.inputPricePerMTok), output: formatUsd(p.outputPricePerMTok) })}
          </small>
        </div>
        <div class="provider-move">
          <button type="button" class="square" data-move={`${p.id}:up`} disabled={props.index === 0} onClick={() => actions.move(p.id, -1)} aria-label={t('ai.list.moveUp', { name: p.name })} title={t('ai.list.moveUp', { name: p.name })}>
            ↑
          </button>
          <button
            type="button"
            class="square"
            data-move={`${p.id}:down`}
            disabled={props.index === props.count - 1}
            onClick={() => actions.move(p.id, 1)}
            aria-label={t('ai.list.moveDown', { name: p.name })}
            title={t('ai.list.moveDown', { name: p.name })}
          >
            ↓
          </button>
        </div>
      </div>
      <ProviderHealthView health={p.health} />
      <div class="provider-actions">
        {props.editing ? null : <TestButton provider={p} />}
        <button type="button" onClick={() => actions.edit(props.editing ? null : p.id)} aria-expanded={props.editing} aria-label={t('ai.list.editNamed', { name: p.name })}>
          {t('ai.list.edit')}
        </button>
        {forced !== 'open' ? (
          <button type="button" onClick={() => actions.breaker(p, 'open')} aria-label={t('ai.breaker.openNamed', { name: p.name })}>
            {t('ai.breaker.open')}
          </button>
        ) : null}
        {forced !== 'closed' ? (
          <button type="button" onClick={() => actions.breaker(p, 'closed')} aria-label={t('ai.breaker.closeNamed', { name: p.name })}>
            {t('ai.breaker.close')}
          </button>
        ) : null}
        {forced ? (
          <button type="button" onClick={() => actions.breaker(p, 'auto')} aria-label={t('ai.breaker.autoNamed', { name: p.name })}>
            {t('ai.breaker.auto')}
          </button>
        ) : null}
        <button type="button" class="danger" onClick={() => actions.remove(p)} aria-label={t('ai.list.deleteNamed', { name: p.name })}>
          {t('ai.list.delete')}
        </button>
      </div>
      {props.editing ? <ProviderForm provider={p} onSaved={actions.saved} onCancel={() => actions.edit(null)} /> : null}
    </li>
  )
}
