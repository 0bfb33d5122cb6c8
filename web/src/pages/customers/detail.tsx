// One customer: the fields (editable), the address book, the customer's orders, and delete (anonymise) with a
// confirmation that says what is erased and what is kept. The same file holds the create page.
import { useState } from 'preact/hooks'
import { api } from '../../api/client'
import { ApiError, fieldErrors } from '../../api/errors'
import type { Schemas } from '../../api/schema'
import { EmptyState, ErrorBanner, PageHeader, Skeleton } from '../../components/ui'
import { t, type MessageKey } from '../../i18n'
import { formatDate } from '../../i18n/format'
import { formatMoney, currentShopCurrency } from '../../money'
import { linkClick, navigate } from '../../router'
import { useResource } from '../../use-resource'
import { AddressBook } from './addresses'
import './customers.css'
import { AddressFields, CustomerFields, EMPTY_ADDRESS, EMPTY_CUSTOMER, addressBody, addressErrors, customerBody, customerDraft, customerOrders, displayName, isBlankAddress, type CustomerDraft } from './shared'

type Customer = Schemas['Customer']
type OrderSummary = Schemas['OrderSummary']

const ORDER_STATUS: Record<OrderSummary['status'], MessageKey> = { open: 'customers.orderStatus.open', cancelled: 'customers.orderStatus.cancelled', completed: 'customers.orderStatus.completed' }
const PAYMENT_STATUS: Record<OrderSummary['paymentStatus'], MessageKey> = {
  pending: 'customers.payment.pending',
  partially_paid: 'customers.payment.partially_paid',
  paid: 'customers.payment.paid',
  partially_refunded: 'customers.payment.partially_refunded',
  refunded: 'customers.payment.refunded',
}

function BackLink() {
  return (
    <p>
      <a href="/customers" onClick={linkClick}>
        ← {t('customers.back')}
      </a>
    </p>
  )
}

function CustomerOrders(props: { customerId: string }) {
  const orders = useResource(() => customerOrders(props.customerId), [props.customerId])
  const rows = orders.data?.data ?? []
  return (
    <section aria-labelledby="orders-heading">
      <h2 id="orders-heading">{t('customers.customerOrders')}</h2>
      <ErrorBanner error={orders.error} />
      {orders.data === undefined ? (
        orders.error ? null : <Skeleton rows={2} />
      ) : rows.length === 0 ? (
        <p class="muted">{t('customers.noOrders')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('customers.order.number')}</th>
                <th scope="col">{t('customers.order.date')}</th>
                <th scope="col">{t('customers.order.status')}</th>
                <th scope="col" class="num">
                  {t('customers.order.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((order) => (
                <tr key={order.id}>
                  <td data-label={t('customers.order.number')}>
                    <a href={`/orders/${order.id}`} onClick={linkClick}>
                      #{order.number}
                    </a>
                  </td>
                  <td data-label={t('customers.order.date')}>{formatDate(order.createdAt)}</td>
                  <td data-label={t('customers.order.status')}>
                    <span class="badge">{t(ORDER_STATUS[order.status])}</span> <span class="badge">{t(PAYMENT_STATUS[order.paymentStatus])}</span>
                  </td>
                  <td data-label={t('customers.order.total')} class="num">
                    {formatMoney(order.totals.total, order.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function CustomerForm(props: { customer: Customer; onSaved: () => void }) {
  const [draft, setDraft] = useState<CustomerDraft>(customerDraft(props.customer))
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    try {
      const updated = await api.patch('/v1/customers/{id}', { path: { id: props.customer.id }, body: customerBody(draft) })
      setDraft(customerDraft(updated))
      setSaved(true)
      props.onSaved()
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <form class="card" onSubmit={save} noValidate>
      <ErrorBanner error={error} />
      {saved ? (
        <p class="banner banner--ok" role="status">
          {t('customers.saved')}
        </p>
      ) : null}
      <CustomerFields value={draft} onChange={setDraft} errors={fieldErrors(error)} />
      <div class="form-actions">
        <button type="submit" class="primary">
          {t('customers.save')}
        </button>
      </div>
    </form>
  )
}

/** The detail page of customer `customerId`. */
export function CustomerDetailPage(props: { customerId: string }) {
  const customer = useResource(() => api.get('/v1/customers/{id}', { path: { id: props.customerId } }), [props.customerId])
  const [deleted, setDeleted] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  if (deleted) {
    return (
      <section>
        <PageHeader title={t('customers.title')} />
        <p class="banner banner--ok" role="status">
          {t('customers.deleted', { email: deleted })}
        </p>
        <BackLink />
      </section>
    )
  }
  const c = customer.data
  if (c === undefined) {
    const missing = customer.error instanceof ApiError && customer.error.status === 404
    return (
      <section>
        <BackLink />
        {missing ? <EmptyState title={t('customers.notFound')} /> : <ErrorBanner error={customer.error} />}
        {customer.error ? null : <Skeleton rows={6} />}
      </section>
    )
  }
  const remove = async () => {
    if (!confirm(t('customers.confirmDelete', { email: c.email }))) return
    setError(null)
    try {
      await api.delete('/v1/customers/{id}', { path: { id: c.id } })
      setDeleted(c.email)
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <section class="customer-detail">
      <BackLink />
      <PageHeader title={displayName(c)}>
        <button type="button" class="danger" onClick={() => void remove()}>
          {t('customers.delete')}
        </button>
      </PageHeader>
      <p class="muted">
        {c.email} · {t('customers.stats', { count: c.ordersCount, total: formatMoney(c.totalSpent, currentShopCurrency()) })}
      </p>
      <ErrorBanner error={error} />
      {/* Keyed by id, not by version: a reload after a save must not remount the form and drop its "saved" status. */}
      <CustomerForm key={c.id} customer={c} onSaved={customer.reload} />
      <AddressBook customerId={c.id} addresses={c.addresses} reload={customer.reload} />
      <CustomerOrders customerId={c.id} />
    </section>
  )
}

/** The new customer page: the fields and, optionally, a first address. */
export function CustomerCreatePage() {
  const [draft, setDraft] = useState<CustomerDraft>(EMPTY_CUSTOMER)
  const [address, setAddress] = useState({ ...EMPTY_ADDRESS, isDefault: true })
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      const addresses = isBlankAddress(address) ? [] : [addressBody(address)]
      const created = await api.post('/v1/customers', { body: { ...customerBody(draft), addresses } })
      navigate(`/customers/${created.id}`)
    } catch (caught) {
      setError(caught)
    }
  }
  const errors = fieldErrors(error)
  return (
    <section class="customer-detail">
      <BackLink />
      <PageHeader title={t('customers.new')} />
      <form class="card" onSubmit={create} noValidate>
        <ErrorBanner error={error} />
        <CustomerFields value={draft} onChange={setDraft} errors={errors} />
        <h2>{t('customers.firstAddress')}</h2>
        <AddressFields value={address} onChange={setAddress} errors={addressErrors(errors, 'addresses.0.')} />
        <div class="form-actions">
          <button type="submit" class="primary">
            {t('customers.create')}
          </button>
        </div>
      </form>
    </section>
  )
}
