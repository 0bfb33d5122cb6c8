// The product list: filter by status and category, search, and page with the API's cursors.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { formatMoney } from '../money'
import { linkClick } from '../router'
import { useResource } from '../use-resource'
import { CategoryOptions } from '../components/category-options'

type Status = Schemas['Product']['status']
const PAGE_SIZE = 20

function priceRange(product: Schemas['Product']): string {
  const prices = product.variants.map((v) => v.price)
  const currency = product.variants[0]?.currency
  if (!currency || prices.length === 0) return '—'
  const low = Math.min(...prices)
  const high = Math.max(...prices)
  return low === high ? formatMoney(low, currency) : `${formatMoney(low, currency)} – ${formatMoney(high, currency)}`
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
      <PageHeader title="Products">
        <a class="button primary" href="/products/new" onClick={linkClick}>
          New product
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
        <Field label="Search">{(id) => <input id={id} type="search" value={q} placeholder="Name, brand, SKU…" onInput={(e) => setQ(e.currentTarget.value)} />}</Field>
        <Field label="Status">
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => {
                setStatus(e.currentTarget.value as Status | '')
                filtersChanged()
              }}
            >
              <option value="">Any</option>
              <option value="draft">Draft</option>
              <option value="active">Active</option>
              <option value="archived">Archived</option>
            </select>
          )}
        </Field>
        <Field label="Category">
          {(id) => (
            <select
              id={id}
              value={categoryId}
              onChange={(e) => {
                setCategoryId(e.currentTarget.value)
                filtersChanged()
              }}
            >
              <option value="">All categories</option>
              <CategoryOptions categories={categories.data?.data ?? []} />
            </select>
          )}
        </Field>
        <button type="submit">Search</button>
      </form>
      <ErrorBanner error={products.error} />
      {products.data === undefined ? (
        <Skeleton rows={PAGE_SIZE / 4} label="Loading products" />
      ) : products.data.data.length === 0 ? (
        <EmptyState title={submittedQ || status || categoryId ? 'No products match these filters' : 'No products yet'}>
          <a href="/products/new" onClick={linkClick}>
            Create your first product
          </a>
        </EmptyState>
      ) : (
        <div class="table-wrap" aria-busy={products.loading}>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Category</th>
                <th scope="col">Variants</th>
                <th scope="col">Price</th>
                <th scope="col">Images</th>
              </tr>
            </thead>
            <tbody>
              {products.data.data.map((product) => (
                <tr key={product.id}>
                  <td data-label="Name">
                    <a href={`/products/${product.id}`} onClick={linkClick}>
                      {product.name}
                    </a>
                  </td>
                  <td data-label="Status">
                    <span class={`badge badge--${product.status}`}>{product.status}</span>
                  </td>
                  <td data-label="Category">{product.categoryId ? (categoryName.get(product.categoryId) ?? '…') : '—'}</td>
                  <td data-label="Variants">{product.variants.length}</td>
                  <td data-label="Price">{priceRange(product)}</td>
                  <td data-label="Images">
                    {product.images.ready}/{product.images.total}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!products.data?.nextCursor} onClick={() => products.data?.nextCursor && setCursors([...cursors, products.data.nextCursor])}>
          Next page
        </button>
      </div>
    </section>
  )
}
