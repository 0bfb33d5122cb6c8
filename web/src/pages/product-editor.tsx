// Create or edit one product: name, status, category, description, product attributes, variants and, once saved,
// images; new SKUs are registered with inventory so their stock can be counted at once.
import { useEffect, useState } from 'preact/hooks'
import { api, idempotencyKey } from '../api/client'
import { ApiError, fieldErrors, issuesUnder } from '../api/errors'
import type { Schemas } from '../api/schema'
import { AttributeInputs } from '../components/attribute-inputs'
import { ImagePanel } from '../components/image-panel'
import { ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { newVariantDraft, VariantRows, type VariantDraft } from '../components/variant-rows'
import { t } from '../i18n'
import { currentShopCurrency, toMajorText, toMinorUnits } from '../money'
import { navigate } from '../router'
import { useResource } from '../use-resource'
import { CategoryOptions } from '../components/category-options'

type Product = Schemas['Product']
type Status = Product['status']

interface Draft {
  name: string
  status: Status
  categoryId: string
  description: string
  attributes: Schemas['AttributeValues']
  variants: VariantDraft[]
}

function draftOf(product: Product | null): Draft {
  if (!product) return { name: '', status: 'draft', categoryId: '', description: '', attributes: {}, variants: [newVariantDraft()] }
  return {
    name: product.name,
    status: product.status,
    categoryId: product.categoryId ?? '',
    description: product.description ?? '',
    attributes: product.attributes,
    variants: product.variants.map((v) => ({ key: v.id, stored: v, sku: v.sku, price: toMajorText(v.price, v.currency), currency: v.currency, attributes: v.attributes })),
  }
}

/** Prices typed in major units, converted; issues for those that are not amounts. */
function pricedVariants(variants: VariantDraft[]) {
  const issues: Record<string, string> = {}
  const priced = variants.map((v, i) => {
    const price = toMinorUnits(v.price, v.currency || currentShopCurrency())
    if (price === null) issues[`variants.${i}.price`] = t('variants.priceInvalid', { example: toMajorText(129950, v.currency || currentShopCurrency()) })
    return { sku: v.sku.trim(), price: price ?? 0, currency: v.currency, attributes: v.attributes }
  })
  return { priced, issues }
}

async function saveVariants(productId: string, draft: Draft, stored: Product) {
  const { priced } = pricedVariants(draft.variants)
  const kept = new Set(draft.variants.map((v) => v.stored?.id).filter(Boolean))
  for (const gone of stored.variants.filter((v) => !kept.has(v.id))) {
    await api.delete('/v1/products/{id}/variants/{variantId}', { path: { id: productId, variantId: gone.id } })
  }
  for (const [index, variant] of draft.variants.entries()) {
    const body = priced[index]
    if (!body) continue
    try {
      if (!variant.stored) await api.post('/v1/products/{id}/variants', { path: { id: productId }, body })
      else if (variant.stored.sku !== body.sku || variant.stored.price !== body.price || variant.stored.currency !== body.currency || JSON.stringify(variant.stored.attributes) !== JSON.stringify(body.attributes)) {
        await api.patch('/v1/products/{id}/variants/{variantId}', { path: { id: productId, variantId: variant.stored.id }, body })
      }
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
  const [draft, setDraft] = useState<Draft>(() => draftOf(null))
  const [error, setError] = useState<unknown>(null)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (product.data !== undefined) setDraft(draftOf(product.data))
  }, [product.data])

  const productDefinitions = definitions.data?.data.filter((d) => d.appliesTo === 'product') ?? []
  const variantDefinitions = definitions.data?.data.filter((d) => d.appliesTo === 'variant') ?? []
  const set = (patch: Partial<Draft>) => {
    setSaved(false)
    setDraft({ ...draft, ...patch })
  }

  const save = async (event: Event) => {
    event.preventDefault()
    const { priced, issues: priceIssues } = pricedVariants(draft.variants)
    setError(null)
    setSaved(false)
    setIssues(priceIssues)
    if (Object.keys(priceIssues).length > 0) return
    setBusy(true)
    const fields = { name: draft.name, status: draft.status, categoryId: draft.categoryId || null, description: draft.description || null, attributes: draft.attributes }
    try {
      let id = props.productId
      if (product.data) {
        await api.patch('/v1/products/{id}', { path: { id: product.data.id }, body: fields })
        await saveVariants(product.data.id, draft, product.data)
      } else {
        id = (await api.post('/v1/products', { body: { ...fields, variants: priced } })).id
      }
      const skus = priced.map((v) => ({ sku: v.sku }))
      if (skus.length > 0) await api.post('/v1/inventory/skus', { headers: { 'idempotency-key': idempotencyKey() }, body: { skus } })
      setSaved(true)
      if (id && id !== props.productId) navigate(`/products/${id}`, { replace: true })
      else product.reload()
    } catch (caught) {
      setError(caught)
      setIssues(fieldErrors(caught))
    } finally {
      setBusy(false)
    }
  }

  const remove = async () => {
    if (!product.data || !confirm(t('product.confirmDelete', { name: product.data.name }))) return
    try {
      await api.delete('/v1/products/{id}', { path: { id: product.data.id } })
      navigate('/products')
    } catch (caught) {
      setError(caught)
    }
  }

  if (product.data === undefined) return product.error ? <ErrorBanner error={product.error} /> : <Skeleton rows={8} label={t('product.loading')} />
  return (
    <section>
      <PageHeader title={product.data ? t('product.editTitle', { name: product.data.name }) : t('product.newTitle')}>
        {product.data ? (
          <button type="button" class="danger" onClick={() => void remove()}>
            {t('product.delete')}
          </button>
        ) : null}
      </PageHeader>
      <form class="editor" onSubmit={save} noValidate>
        <ErrorBanner error={error} />
        {saved ? (
          <p class="banner banner--ok" role="status">
            {t('product.saved')}
          </p>
        ) : null}
        <div class="grid-2">
          <TextField label={t('product.name')} required value={draft.name} error={issues.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          <Field label={t('product.status')} error={issues.status}>
            {(id) => (
              <select id={id} value={draft.status} onChange={(e) => set({ status: e.currentTarget.value as Status })}>
                <option value="draft">{t('product.status.draftOption')}</option>
                <option value="active">{t('product.status.activeOption')}</option>
                <option value="archived">{t('product.status.archivedOption')}</option>
              </select>
            )}
          </Field>
          <Field label={t('product.category')} error={issues.categoryId}>
            {(id) => (
              <select id={id} value={draft.categoryId} onChange={(e) => set({ categoryId: e.currentTarget.value })}>
                <option value="">{t('product.uncategorised')}</option>
                <CategoryOptions categories={categories.data?.data ?? []} />
              </select>
            )}
          </Field>
        </div>
        <Field label={t('product.description')} error={issues.description}>
          {(id) => <textarea id={id} rows={4} value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} />}
        </Field>
        {productDefinitions.length > 0 ? (
          <fieldset>
            <legend>{t('product.attributes')}</legend>
            <AttributeInputs definitions={productDefinitions} values={draft.attributes} errors={issues} pathPrefix="attributes" onChange={(attributes) => set({ attributes })} />
          </fieldset>
        ) : null}
        <VariantRows variants={draft.variants} definitions={variantDefinitions} errors={issues} onChange={(variants) => set({ variants })} />
        <div class="form-actions">
          <button class="primary" type="submit" disabled={busy}>
            {product.data ? t('product.saveChanges') : t('product.create')}
          </button>
          <button type="button" onClick={() => navigate('/products')}>
            {t('product.back')}
          </button>
        </div>
      </form>
      {product.data ? <ImagePanel productId={product.data.id} /> : null}
    </section>
  )
}
