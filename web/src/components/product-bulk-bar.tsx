// The product list's bulk bar: what to do with the selected products (activate, archive, set a category, delete after a
// confirmation), sent as one all-or-nothing call to POST /v1/products/bulk.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { CategoryOptions } from './category-options'
import { ErrorBanner, Field } from './ui'

type Action = Schemas['ProductBulkAction']['action']

/** Shown while `selected` is not empty; `onDone` runs after a change so the list reloads and the selection clears. */
export function ProductBulkBar(props: { selected: string[]; categories: Schemas['Category'][]; onDone: (message: string) => void }) {
  const [categoryId, setCategoryId] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const count = props.selected.length
  if (count === 0) return null

  const run = async (action: Action) => {
    if (action === 'delete' && !confirm(t('productList.bulkDeleteConfirm', { count }))) return
    setBusy(true)
    setError(null)
    try {
      const body = action === 'set_category' ? { action, ids: props.selected, categoryId: categoryId || null } : { action, ids: props.selected }
      const done = await api.post('/v1/products/bulk', { body })
      props.onDone(action === 'delete' ? t('productList.bulkDeleted', { count: done.affected }) : t('productList.bulkUpdated', { count: done.affected }))
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="bulk-bar card" role="region" aria-label={t('productList.bulkActions')}>
      <strong>{t('productList.selected', { count })}</strong>
      <button type="button" disabled={busy} onClick={() => void run('activate')}>
        {t('productList.bulkActivate')}
      </button>
      <button type="button" disabled={busy} onClick={() => void run('archive')}>
        {t('productList.bulkArchive')}
      </button>
      <Field label={t('productList.bulkCategory')}>
        {(id) => (
          <select id={id} value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
            <option value="">{t('productList.noCategory')}</option>
            <CategoryOptions categories={props.categories} />
          </select>
        )}
      </Field>
      <button type="button" disabled={busy} onClick={() => void run('set_category')}>
        {t('productList.bulkSetCategory')}
      </button>
      <button type="button" class="danger" disabled={busy} onClick={() => void run('delete')}>
        {t('productList.bulkDelete')}
      </button>
      <ErrorBanner error={error} />
    </div>
  )
}
