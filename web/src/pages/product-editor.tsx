// Create or edit one product: every field the API has (name, status, category, description, brand, tags, SEO, product
// attributes, variants with prices, cost, barcode, weight and options) and images, which can be added before the first
// save (the draft is saved on the first upload); the save state is always visible. New SKUs are registered with
// inventory so their stock can be counted at once.
import { useEffect, useState } from 'preact/hooks'
import { api, idempotencyKey } from '../api/client'
import { ApiError, fieldErrors, issuesUnder } from '../api/errors'
import type { Schemas } from '../api/schema'
import { AttributeInputs } from '../components/attribute-inputs'
import { CategoryOptions } from '../components/category-options'
import { ImagePanel } from '../components/image-panel'
import { draftOf, productFields, variantBodies, variantChanged, type Draft, type Status } from '../components/product-draft'
import { ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { VariantRows } from '../components/variant-rows'
import { t, type MessageKey } from '../i18n'
import { tenantCurrency } from '../money'
import { navigate } from '../router'
import { useResource } from '../use-resource'

type Product = Schemas['Product']
type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'error'
const SAVE_STATE_TEXT: Record<Exclude<SaveState, 'idle'>, MessageKey> = {
  dirty: 'productEditor.stateDirty',
  saving: 'productEditor.stateSaving',
  saved: 'productEditor.stateSaved',
  error: 'productEditor.stateError',
}

async function saveVariants(productId: string, draft: Draft, stored: Product) {
  const { bodies } = variantBodies(draft.variants)
  const kept = new Set(draft.variants.map((v) => v.stored?.id).filter(Boolean))
  for (const gone of stored.variants.filter((v) => !kept.has(v.id))) {
    await api.delete('/v1/products/{id}/variants/{variantId}', { path: { id: productId, variantId: gone.id } })
  }
  for (const [index, variant] of draft.variants.entries()) {
    const body = bodies[index]
    if (!body) continue
    try {
      if (!variant.stored) await api.post('/v1/products/{id}/variants', { path: { id: productId }, body })
      else if (variantChanged(variant.stored, body)) await api.patch('/v1/products/{id}/variants/{variantId}', { path: { id: productId, variantId: variant.stored.id }, body })
    } catch (error) {
      throw error instanceof ApiError ? issuesUnder(error, `variants.${index}`, 'variant.0.') : error
    }
  }
}

/** `productId` null creates a product. */
export function ProductEditorPage(props: { productId: string | null }) {
  const product = useResource(() => (props.productId ? api.get('/v1/products/{id}', { path: { id: props.productId } }) : Promise.resolve(null)), [props.productId])
  const categories = useResource(() => api.get('/v1/categories'), [])
  const definitions = useResource(() => api.get('/v1/attributes'), [])
  const tenant = useResource(() => api.get('/v1/tenant'), [])
  const currency = tenantCurrency(tenant.data?.settings)
  const [draft, setDraft] = useState<Draft>(() => draftOf(null, currency))
  const [error, setError] = useState<unknown>(null)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [saveState, setSaveState] = useState<SaveState>('idle')

  useEffect(() => {
    if (product.data !== undefined) setDraft(draftOf(product.data, currency))
  }, [product.data])
  useEffect(() => {
    if (!product.data && saveState === 'idle') setDraft((current) => ({ ...current, variants: current.variants.map((v) => (v.stored || v.price ? v : { ...v, currency })) }))
  }, [currency])

  const productDefinitions = definitions.data?.data.filter((d) => d.appliesTo === 'product') ?? []
  const variantDefinitions = definitions.data?.data.filter((d) => d.appliesTo === 'variant') ?? []
  const set = (patch: Partial<Draft>) => {
    setSaveState('dirty')
    setDraft({ ...draft, ...patch })
  }

  /** Saves the form; answers the product id, or null when it could not be saved. */
  const persist = async (forImages = false): Promise<string | null> => {
    const { bodies, issues: amountIssues } = variantBodies(forImages && !product.data ? draft.variants.filter((v) => v.sku.trim() !== '') : draft.variants)
    setError(null)
    setIssues(amountIssues)
    if (Object.keys(amountIssues).length > 0) {
      setSaveState('error')
      return null
    }
    setSaveState('saving')
    const fields = { ...productFields(draft), name: draft.name.trim() || (forImages ? t('productEditor.untitled') : draft.name) }
    try {
      let id = props.productId
      if (product.data) {
        await api.patch('/v1/products/{id}', { path: { id: product.data.id }, body: fields })
        await saveVariants(product.data.id, draft, product.data)
      } else {
        id = (await api.post('/v1/products', { body: { ...fields, variants: bodies } })).id
      }
      const skus = bodies.filter((v) => v.sku).map((v) => ({ sku: v.sku }))
      if (skus.length > 0) await api.post('/v1/inventory/skus', { headers: { 'idempotency-key': idempotencyKey() }, body: { skus } })
      setSaveState('saved')
      if (id && id !== props.productId) navigate(`/products/${id}`, { replace: true })
      else product.reload()
      return id
    } catch (caught) {
      setError(caught)
      setIssues(fieldErrors(caught))
      setSaveState('error')
      return null
    }
  }

  const remove = async () => {
    if (!product.data || !confirm(t('productEditor.deleteConfirm', { name: product.data.name }))) return
    try {
      await api.delete('/v1/products/{id}', { path: { id: product.data.id } })
      navigate('/products')
    } catch (caught) {
      setError(caught)
    }
  }

  if (product.data === undefined) return product.error ? <ErrorBanner error={product.error} /> : <Skeleton rows={8} label={t('productEditor.loading')} />
  const productId = product.data?.id ?? null
  return (
    <section>
      <PageHeader title={product.data ? t('productEditor.editTitle', { name: product.data.name }) : t('productEditor.newTitle')}>
        {saveState === 'idle' ? null : (
          <span class={`save-state save-state--${saveState}`} role="status" data-testid="save-state">
            {t(SAVE_STATE_TEXT[saveState])}
          </span>
        )}
        {product.data ? (
          <button type="button" class="danger" onClick={() => void remove()}>
            {t('productEditor.delete')}
          </button>
        ) : null}
      </PageHeader>
      <form
        class="editor"
        onSubmit={(event) => {
          event.preventDefault()
          void persist()
        }}
        noValidate
      >
        <ErrorBanner error={error} />
        <div class="grid-2">
          <TextField label={t('productEditor.name')} required value={draft.name} error={issues.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          <Field label={t('productEditor.status')} error={issues.status}>
            {(id) => (
              <select id={id} value={draft.status} onChange={(e) => set({ status: e.currentTarget.value as Status })}>
                <option value="draft">{t('productList.statusDraft')}</option>
                <option value="active">{t('productList.statusActive')}</option>
                <option value="archived">{t('productList.statusArchived')}</option>
              </select>
            )}
          </Field>
          <Field label={t('productEditor.category')} error={issues.categoryId}>
            {(id) => (
              <select id={id} value={draft.categoryId} onChange={(e) => set({ categoryId: e.currentTarget.value })}>
                <option value="">{t('productEditor.uncategorised')}</option>
                <CategoryOptions categories={categories.data?.data ?? []} />
              </select>
            )}
          </Field>
          <TextField label={t('productEditor.brand')} value={draft.brand} maxLength={100} error={issues.brand} onInput={(e) => set({ brand: e.currentTarget.value })} />
          <TextField label={t('productEditor.tags')} hint={t('productEditor.tagsHint')} value={draft.tags} error={issues.tags} onInput={(e) => set({ tags: e.currentTarget.value })} />
        </div>
        <Field label={t('productEditor.description')} error={issues.description}>
          {(id) => <textarea id={id} rows={4} value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} />}
        </Field>
        <fieldset>
          <legend>{t('productEditor.seo')}</legend>
          <TextField label={t('productEditor.seoTitle')} value={draft.seoTitle} maxLength={200} error={issues.seoTitle} onInput={(e) => set({ seoTitle: e.currentTarget.value })} />
          <Field label={t('productEditor.seoDescription')} error={issues.seoDescription}>
            {(id) => <textarea id={id} rows={2} maxLength={500} value={draft.seoDescription} onInput={(e) => set({ seoDescription: e.currentTarget.value })} />}
          </Field>
        </fieldset>
        {productDefinitions.length > 0 ? (
          <fieldset>
            <legend>{t('productEditor.attributes')}</legend>
            <AttributeInputs definitions={productDefinitions} values={draft.attributes} errors={issues} pathPrefix="attributes" onChange={(attributes) => set({ attributes })} />
          </fieldset>
        ) : null}
        <VariantRows variants={draft.variants} definitions={variantDefinitions} errors={issues} defaultCurrency={currency} onChange={(variants) => set({ variants })} />
        <div class="form-actions">
          <button class="primary" type="submit" disabled={saveState === 'saving'}>
            {product.data ? t('productEditor.save') : t('productEditor.create')}
          </button>
          <button type="button" onClick={() => navigate('/products')}>
            {t('productEditor.back')}
          </button>
        </div>
      </form>
      <ImagePanel productId={productId} ensureProduct={() => persist(true)} />
    </section>
  )
}
