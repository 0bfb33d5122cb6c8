// The product list: filter by status and category, search, and page with the API's cursors.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatNumber } from '../i18n/format'
import { formatMoney } from '../money'
import { linkClick } from '../router'
import { useResource } from '../use-resource'
import { CategoryOptions } from '../components/category-options'

type Status = Schemas['Product']['status']
const PAGE_SIZE = 20
const STATUS_LABELS: Record<Status, MessageKey> = { draft: 'product.status.draft', active: 'product.status.active', archived: 'product.status.archived' }

function priceRange(product: Schemas['Product']): string {
  const prices = product.variants.map((v) => v.price)
  const currency = product.variants[0]?.currency
  if (!currency || prices.length === 0) return '—'
  const low = Math.min(...prices)
  const high = Math.max(...prices)
  return low === high ? formatMoney(low, currency) : t('products.priceRange', { low: formatMoney(low, currency), high: formatMoney(high, currency) })
}

/** Products of the tenant, filtered and searched. */
export function ProductsPage() {
  const [status, setStatus] = useState<Status | ''>('')
  const [categoryId, setCategoryId] = useState('')
  const [q, setQ] = useState('')
  const [submittedQ, setSubmittedQ] = useState('')
  const [cursors, setCursors] = useState<string[]>([])
  const cursor = cursors[cursors.length - 1]
  const categories = useResource(() => api.get('/v1/categories'), [])
  const products = useResource(
    () => api.get('/v1/products', { query: { limit: PAGE_SIZE, ...(status ? { status } : {}), categoryId, q: submittedQ, ...(cursor ? { cursor } : {}) } }),
    [status, categoryId, submittedQ, cursor],
  )
  const categoryName = new Map(categories.data?.data.map((c) => [c.id, c.name]) ?? [])
  const filtersChanged = () => setCursors([])

  return (
    <section>
      <PageHeader title={t('nav.products')}>
        <a class="button primary" href="/products/new" onClick={linkClick}>
          {t('products.new')}
        </a>
      </PageHeader>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault()
          setSubmittedQ(q.trim())
          filtersChanged()
        }}
      >
        <Field label={t('products.search')}>{(id) => <input id={id} type="search" value={q} placeholder={t('products.searchPlaceholder')} onInput={(e) => setQ(e.currentTarget.value)} />}</Field>
        <Field label={t('product.status')}>
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value as Status | '')
                filtersChanged()
              }}
            >
              <option value="">{t('products.anyStatus')}</option>
              <option value="draft">{t('product.status.draftOption')}</option>
              <option value="active">{t('product.status.activeOption')}</option>
              <option value="archived">{t('product.status.archivedOption')}</option>
            </select>
          )}
        </Field>
        <Field label={t('product.category')}>
          {(id) => (
            <select
              id={id}
              value={categoryId}
              onChange={(e) => {
                setCategoryId(e.currentTarget.value)
                filtersChanged()
              }}
            >
              <option value="">{t('products.allCategories')}</option>
              <CategoryOptions categories={categories.data?.data ?? []} />
            </select>
          )}
        </Field>
        <button type="submit">{t('search.submit')}</button>
      </form>
      <ErrorBanner error={products.error} />
      {products.data === undefined ? (
        <Skeleton rows={PAGE_SIZE / 4} label={t('products.loading')} />
      ) : products.data.data.length === 0 ? (
        <EmptyState title={submittedQ || status || categoryId ? t('products.noMatch') : t('products.empty')}>
          <a href="/products/new" onClick={linkClick}>
            {t('products.createFirst')}
          </a>
        </EmptyState>
      ) : (
        <div class="table-wrap" aria-busy={products.loading}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('product.name')}</th>
                <th scope="col">{t('product.status')}</th>
                <th scope="col">{t('product.category')}</th>
                <th scope="col">{t('variants.title')}</th>
                <th scope="col">{t('products.price')}</th>
                <th scope="col">{t('products.images')}</th>
              </tr>
            </thead>
            <tbody>
              {products.data.data.map((product) => (
                <tr key={product.id}>
                  <td data-label={t('product.name')}>
                    <a href={`/products/${product.id}`} onClick={linkClick}>
                      {product.name}
                    </a>
                  </td>
                  <td data-label={t('product.status')}>
                    <span class={`badge badge--${product.status}`}>{t(STATUS_LABELS[product.status])}</span>
                  </td>
                  <td data-label={t('product.category')}>{product.categoryId ? (categoryName.get(product.categoryId) ?? '…') : '—'}</td>
                  <td data-label={t('variants.title')}>{formatNumber(product.variants.length)}</td>
                  <td data-label={t('products.price')}>{priceRange(product)}</td>
                  <td data-label={t('products.images')}>
                    {t('products.imagesReady', { ready: product.images.ready, total: product.images.total })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('products.previous')}
        </button>
        <button type="button" disabled={!products.data?.nextCursor} onClick={() => products.data?.nextCursor && setCursors([...cursors, products.data.nextCursor])}>
          {t('products.next')}
        </button>
      </div>
    </section>
  )
}
