// The product list: filter by status and category, search, page with the API's cursors, thumbnails and stock per
// product, bulk actions on the selected rows, and CSV import (dry run, then progress) and export.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { CatalogImportPanel } from '../components/catalog-import'
import { CategoryOptions } from '../components/category-options'
import { MediaImage } from '../components/media-image'
import { ProductBulkBar } from '../components/product-bulk-bar'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatNumber } from '../i18n/format'
import { formatMoney } from '../money'
import { linkClick } from '../router'
import { useResource } from '../use-resource'

type Product = Schemas['ProductListItem']
type Status = Product['status']
const PAGE_SIZE = 20
const STATUS_LABEL: Record<Status, MessageKey> = { draft: 'productList.statusDraft', active: 'productList.statusActive', archived: 'productList.statusArchived' }

function priceRange(product: Product): string {
  const prices = product.variants.map((v) => v.price)
  const currency = product.variants[0]?.currency
  if (!currency || prices.length === 0) return '—'
  const low = Math.min(...prices)
  const high = Math.max(...prices)
  return low === high ? formatMoney(low, currency) : t('productList.priceRange', { low: formatMoney(low, currency), high: formatMoney(high, currency) })
}

function StockCell(props: { stock: Product['stock'] }) {
  const stock = props.stock
  if (!stock?.tracked) return <span class="muted">—</span>
  const state = stock.available <= 0 ? 'out' : 'ok'
  return (
    <span class="state-label" title={t('productList.onHand', { count: stock.onHand })}>
      <span class={`dot dot--${state}`} aria-hidden="true" />
      {formatNumber(stock.available)}
    </span>
  )
}

/** Products of the tenant, filtered and searched, with bulk actions and CSV import/export. */
export function ProductsPage() {
  const [status, setStatus] = useState<Status | ''>('')
  const [categoryId, setCategoryId] = useState('')
  const [q, setQ] = useState('')
  const [submittedQ, setSubmittedQ] = useState('')
  const [cursors, setCursors] = useState<string[]>([])
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [notice, setNotice] = useState('')
  const cursor = cursors[cursors.length - 1]
  const categories = useResource(() => api.get('/v1/categories'), [])
  const products = useResource(
    () =>
      api.get('/v1/products', {
        query: { limit: PAGE_SIZE, include: 'stock,thumbnail', ...(status ? { status } : {}), categoryId, q: submittedQ, ...(cursor ? { cursor } : {}) },
      }),
    [status, categoryId, submittedQ, cursor],
  )
  const categoryName = new Map(categories.data?.data.map((c) => [c.id, c.name]) ?? [])
  const rows = products.data?.data ?? []
  const filtersChanged = () => {
    setCursors([])
    setSelected(new Set())
  }
  const toggle = (id: string, on: boolean) => setSelected((previous) => new Set(on ? [...previous, id] : [...previous].filter((other) => other !== id)))
  const allSelected = rows.length > 0 && rows.every((p) => selected.has(p.id))

  return (
    <section>
      <PageHeader title={t('productList.title')}>
        <a class="button primary" href="/products/new" onClick={linkClick}>
          {t('productList.new')}
        </a>
      </PageHeader>
      <CatalogImportPanel onImported={products.reload} />
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault()
          setSubmittedQ(q.trim())
          filtersChanged()
        }}
      >
        <Field label={t('productList.search')}>
          {(id) => <input id={id} type="search" value={q} placeholder={t('productList.searchPlaceholder')} onInput={(e) => setQ(e.currentTarget.value)} />}
        </Field>
        <Field label={t('productList.status')}>
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value as Status | '')
                filtersChanged()
              }}
            >
              <option value="">{t('productList.anyStatus')}</option>
              <option value="draft">{t('productList.statusDraft')}</option>
              <option value="active">{t('productList.statusActive')}</option>
              <option value="archived">{t('productList.statusArchived')}</option>
            </select>
          )}
        </Field>
        <Field label={t('productList.category')}>
          {(id) => (
            <select
              id={id}
              value={categoryId}
              onChange={(e) => {
                setCategoryId(e.currentTarget.value)
                filtersChanged()
              }}
            >
              <option value="">{t('productList.allCategories')}</option>
              <CategoryOptions categories={categories.data?.data ?? []} />
            </select>
          )}
        </Field>
        <button type="submit">{t('productList.searchButton')}</button>
      </form>
      {notice ? (
        <p class="banner banner--ok" role="status">
          {notice}
        </p>
      ) : null}
      <ProductBulkBar
        selected={[...selected]}
        categories={categories.data?.data ?? []}
        onDone={(message) => {
          setNotice(message)
          setSelected(new Set())
          products.reload()
        }}
      />
      <ErrorBanner error={products.error} />
      {products.data === undefined ? (
        <Skeleton rows={PAGE_SIZE / 4} label={t('productList.loading')} />
      ) : rows.length === 0 ? (
        <EmptyState title={submittedQ || status || categoryId ? t('productList.emptyFiltered') : t('productList.empty')}>
          <a href="/products/new" onClick={linkClick}>
            {t('productList.createFirst')}
          </a>
        </EmptyState>
      ) : (
        <div class="table-wrap" aria-busy={products.loading}>
          <table class="product-table">
            <thead>
              <tr>
                <th scope="col" class="select-cell">
                  <input type="checkbox" checked={allSelected} aria-label={t('productList.selectAll')} onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((p) => p.id)) : new Set())} />
                </th>
                <th scope="col">
                  <span class="visually-hidden">{t('productList.image')}</span>
                </th>
                <th scope="col">{t('productList.name')}</th>
                <th scope="col">{t('productList.status')}</th>
                <th scope="col">{t('productList.category')}</th>
                <th scope="col" class="num">
                  {t('productList.variants')}
                </th>
                <th scope="col">{t('productList.price')}</th>
                <th scope="col" class="num">
                  {t('productList.stock')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((product) => (
                <tr key={product.id} data-product-id={product.id}>
                  <td class="select-cell">
                    <input type="checkbox" checked={selected.has(product.id)} aria-label={t('productList.select', { name: product.name })} onChange={(e) => toggle(product.id, e.currentTarget.checked)} />
                  </td>
                  <td class="thumb-cell" data-label={t('productList.image')}>
                    {product.thumbnail ? <MediaImage class="list-thumb" path={product.thumbnail} alt="" /> : <div class="list-thumb list-thumb--none" aria-hidden="true" />}
                  </td>
                  <td data-label={t('productList.name')}>
                    <a href={`/products/${product.id}`} onClick={linkClick}>
                      {product.name}
                    </a>
                  </td>
                  <td data-label={t('productList.status')}>
                    <span class={`badge badge--${product.status}`}>{t(STATUS_LABEL[product.status])}</span>
                  </td>
                  <td data-label={t('productList.category')}>{product.categoryId ? (categoryName.get(product.categoryId) ?? '…') : '—'}</td>
                  <td data-label={t('productList.variants')} class="num">
                    {formatNumber(product.variants.length)}
                  </td>
                  <td data-label={t('productList.price')}>{priceRange(product)}</td>
                  <td data-label={t('productList.stock')} class="num" data-testid="stock">
                    <StockCell stock={product.stock} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('productList.previous')}
        </button>
        <button type="button" disabled={!products.data?.nextCursor} onClick={() => products.data?.nextCursor && setCursors([...cursors, products.data.nextCursor])}>
          {t('productList.next')}
        </button>
      </div>
    </section>
  )
}
