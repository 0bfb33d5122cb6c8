// A customer's address book on the detail page: billing and shipping addresses with one default per kind, added,
// edited and deleted in place.
import { useState } from 'preact/hooks'
import { api } from '../../api/client'
import { fieldErrors } from '../../api/errors'
import type { Schemas } from '../../api/schema'
import { ErrorBanner } from '../../components/ui'
import { t } from '../../i18n'
import { useAction } from '../../use-action'
import { AddressFields, EMPTY_ADDRESS, KIND_LABEL, addressBody, addressDraft, type AddressDraft } from './shared'

type Address = Schemas['CustomerAddress']

function AddressForm(props: { initial: AddressDraft; error: unknown; onSave: (draft: AddressDraft) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(props.initial)
  return (
    <form
      class="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        props.onSave(draft)
      }}
    >
      <AddressFields value={draft} onChange={setDraft} errors={fieldErrors(props.error)} />
      <div class="form-actions">
        <button type="submit" class="primary">
          {t('customers.address.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('customers.address.cancel')}
        </button>
      </div>
    </form>
  )
}

function AddressCard(props: { address: Address; onEdit: () => void; onDelete: () => void }) {
  const a = props.address
  return (
    <li class="card" data-address-id={a.id}>
      <p>
        <strong>{t(KIND_LABEL[a.kind])}</strong> {a.isDefault ? <span class="badge badge--active">{t('customers.address.default')}</span> : null}
      </p>
      <address>
        {a.name}
        <br />
        {a.line1}
        {a.line2 ? `, ${a.line2}` : ''}
        <br />
        {[a.postalCode, a.city, a.region].filter(Boolean).join(', ')} · {a.country}
        {a.phone ? (
          <>
            <br />
            {a.phone}
          </>
        ) : null}
      </address>
      <div class="form-actions">
        <button type="button" onClick={props.onEdit}>
          {t('customers.address.edit')}
        </button>
        <button type="button" class="danger" onClick={props.onDelete}>
          {t('customers.address.delete')}
        </button>
      </div>
    </li>
  )
}

/** The addresses section of a customer; `reload` re-reads the customer after every change. */
export function AddressBook(props: { customerId: string; addresses: Address[]; reload: () => void }) {
  const { customerId, addresses } = props
  const [editing, setEditing] = useState<string | 'new' | null>(null)
  const { error, act } = useAction(props.reload)
  const save = async (draft: AddressDraft) => {
    const body = addressBody(draft)
    const ok = await act(() =>
      editing === 'new' || editing === null
        ? api.post('/v1/customers/{id}/addresses', { path: { id: customerId }, body })
        : api.patch('/v1/customers/{id}/addresses/{addressId}', { path: { id: customerId, addressId: editing }, body }),
    )
    if (ok) setEditing(null)
  }
  const remove = async (address: Address) => {
    if (!confirm(t('customers.address.confirmDelete'))) return
    await act(() => api.delete('/v1/customers/{id}/addresses/{addressId}', { path: { id: customerId, addressId: address.id } }))
  }
  return (
    <section aria-labelledby="addresses-heading">
      <h2 id="addresses-heading">{t('customers.addresses')}</h2>
      {editing === null ? <ErrorBanner error={error} /> : null}
      {addresses.length === 0 ? <p class="muted">{t('customers.noAddresses')}</p> : null}
      <ul class="card-list">
        {addresses.map((address) =>
          editing === address.id ? (
            <li key={address.id}>
              <AddressForm initial={addressDraft(address)} error={error} onSave={(d) => void save(d)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <AddressCard key={address.id} address={address} onEdit={() => setEditing(address.id)} onDelete={() => void remove(address)} />
          ),
        )}
      </ul>
      {editing === 'new' ? (
        <AddressForm initial={{ ...EMPTY_ADDRESS, isDefault: addresses.length === 0 }} error={error} onSave={(d) => void save(d)} onCancel={() => setEditing(null)} />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          {t('customers.addAddress')}
        </button>
      )}
    </section>
  )
}
