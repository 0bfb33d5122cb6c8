// The customers list: search by name, email or company, filter by type and tag, and load more pages by keyset; each row
// shows the orders count and the total spent in the shop's currency.
import { useEffect, useState } from 'preact/hooks'
import { api } from '../../api/client'
import type { Schemas } from '../../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../../components/ui'
import { t } from '../../i18n'
import { formatDate, formatNumber } from '../../i18n/format'
import { currentShopCurrency, formatMoney } from '../../money'
import { linkClick } from '../../router'
import { CUSTOMER_TYPES, TYPE_LABEL, displayName } from './shared'

type Customer = Schemas['CustomerListItem']
type CustomerType = Customer['type']
type Filters = { q: string; type: CustomerType | ''; tag: string }

const PAGE_SIZE = 50

async function fetchPage(filters: Filters, cursor: string | null) {
  return api.get('/v1/customers', {
    query: { limit: PAGE_SIZE, cursor: cursor ?? undefined, q: filters.q || undefined, type: filters.type || undefined, tag: filters.tag || undefined },
  })
}

/** The customers list page. */
export function CustomersPage() {
  const [draft, setDraft] = useState<Filters>({ q: '', type: '', tag: '' })
  const [filters, setFilters] = useState<Filters>(draft)
  const [rows, setRows] = useState<Customer[] | undefined>(undefined)
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = async (cursor: string | null, current: Filters, keep: Customer[]) => {
    setLoading(true)
    setError(null)
    try {
      const page = await fetchPage(current, cursor)
      setRows([...keep, ...page.data])
      setNext(page.nextCursor)
    } catch (caught) {
      setError(caught)
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    setRows(undefined)
    void load(null, filters, [])
  }, [filters])

  const currency = currentShopCurrency()
  const filtered = filters.q !== '' || filters.type !== '' || filters.tag !== ''
  return (
    <section>
      <PageHeader title={t('customers.title')}>
        <a class="button primary" href="/customers/new" onClick={linkClick}>
          {t('customers.new')}
        </a>
      </PageHeader>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault()
          setFilters({ q: draft.q.trim(), type: draft.type, tag: draft.tag.trim() })
        }}
      >
        <Field label={t('customers.search')}>{(id) => <input id={id} type="search" value={draft.q} onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} />}</Field>
        <Field label={t('customers.type')}>
          {(id) => (
            <select id={id} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value as CustomerType | '' })}>
              <option value="">{t('customers.anyType')}</option>
              {CUSTOMER_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(TYPE_LABEL[type])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('customers.tag')}>{(id) => <input id={id} value={draft.tag} onInput={(e) => setDraft({ ...draft, tag: e.currentTarget.value })} />}</Field>
        <button type="submit">{t('customers.filter')}</button>
      </form>
      <ErrorBanner error={error} />
      {rows === undefined ? (
        error ? null : <Skeleton rows={6} />
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? t('customers.noMatch') : t('customers.empty')}>{filtered ? null : <p>{t('customers.emptyText')}</p>}</EmptyState>
      ) : (
        <div class="table-wrap" aria-busy={loading}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('customers.name')}</th>
                <th scope="col">{t('customers.email')}</th>
                <th scope="col">{t('customers.type')}</th>
                <th scope="col">{t('customers.tags')}</th>
                <th scope="col" class="num">
                  {t('customers.orders')}
                </th>
                <th scope="col" class="num">
                  {t('customers.totalSpent')}
                </th>
                <th scope="col">{t('customers.lastOrder')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((customer) => (
                <tr key={customer.id} data-customer-id={customer.id}>
                  <td data-label={t('customers.name')}>
                    <a href={`/customers/${customer.id}`} onClick={linkClick}>
                      {displayName(customer)}
                    </a>
                  </td>
                  <td data-label={t('customers.email')}>{customer.email}</td>
                  <td data-label={t('customers.type')}>{t(TYPE_LABEL[customer.type])}</td>
                  <td data-label={t('customers.tags')}>
                    {customer.tags.map((tag) => (
                      <span key={tag} class="badge">
                        {tag}
                      </span>
                    ))}
                  </td>
                  <td data-label={t('customers.orders')} class="num">
                    {formatNumber(customer.ordersCount)}
                  </td>
                  <td data-label={t('customers.totalSpent')} class="num">
                    {formatMoney(customer.totalSpent, currency)}
                  </td>
                  <td data-label={t('customers.lastOrder')}>{customer.lastOrderAt ? formatDate(customer.lastOrderAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <div class="pager">
          <button type="button" disabled={loading} onClick={() => void load(next, filters, rows ?? [])}>
            {t('customers.loadMore')}
          </button>
        </div>
      ) : null}
    </section>
  )
}
