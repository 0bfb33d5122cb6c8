// What the customer pages share: type labels, a customer's display name, and the customer and address form fields.
import { api } from '../../api/client'
import type { Schemas } from '../../api/schema'
import { Field, TextField } from '../../components/ui'
import { t, type MessageKey } from '../../i18n'

type CustomerType = Schemas['CustomerListItem']['type']
type AddressKind = Schemas['CustomerAddressInput']['kind']

export const CUSTOMER_TYPES: readonly CustomerType[] = ['individual', 'business', 'wholesale']
export const TYPE_LABEL: Record<CustomerType, MessageKey> = { individual: 'customers.type.individual', business: 'customers.type.business', wholesale: 'customers.type.wholesale' }
export const KIND_LABEL: Record<AddressKind, MessageKey> = { billing: 'customers.address.billing', shipping: 'customers.address.shipping' }

/** "Ana López", or the placeholder when the customer has no name. */
export function displayName(customer: { firstName: string | null; lastName: string | null }): string {
  return [customer.firstName, customer.lastName].filter(Boolean).join(' ') || t('customers.noName')
}

/** The editable fields of a customer, as the form holds them (tags as one comma-separated text). */
export interface CustomerDraft {
  email: string
  firstName: string
  lastName: string
  phone: string
  company: string
  taxId: string
  type: CustomerType
  tags: string
  notes: string
  marketingConsent: boolean
}

/** An empty customer form. */
export const EMPTY_CUSTOMER: CustomerDraft = { email: '', firstName: '', lastName: '', phone: '', company: '', taxId: '', type: 'individual', tags: '', notes: '', marketingConsent: false }

/** A customer's form state. */
export function customerDraft(c: Schemas['Customer']): CustomerDraft {
  return { email: c.email, firstName: c.firstName ?? '', lastName: c.lastName ?? '', phone: c.phone ?? '', company: c.company ?? '', taxId: c.taxId ?? '', type: c.type, tags: c.tags.join(', '), notes: c.notes ?? '', marketingConsent: c.marketingConsent }
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim())

/** The API body of a customer form (empty texts clear the field). */
export function customerBody(d: CustomerDraft): Schemas['CustomerPatch'] & { email: string } {
  const tags = [...new Set(d.tags.split(',').map((tag) => tag.trim()).filter(Boolean))]
  return { email: d.email.trim(), firstName: orNull(d.firstName), lastName: orNull(d.lastName), phone: orNull(d.phone), company: orNull(d.company), taxId: orNull(d.taxId), type: d.type, tags, notes: orNull(d.notes), marketingConsent: d.marketingConsent }
}

/** The fields of a customer form. */
export function CustomerFields(props: { value: CustomerDraft; onChange: (value: CustomerDraft) => void; errors: Record<string, string> }) {
  const { value, onChange, errors } = props
  const text = (key: 'firstName' | 'lastName' | 'phone' | 'company' | 'taxId', label: MessageKey) => (
    <TextField label={t(label)} value={value[key]} error={errors[key]} onInput={(e) => onChange({ ...value, [key]: e.currentTarget.value })} />
  )
  return (
    <div class="grid-2">
      <TextField label={t('customers.email')} type="email" required value={value.email} error={errors.email} onInput={(e) => onChange({ ...value, email: e.currentTarget.value })} />
      {text('firstName', 'customers.firstName')}
      {text('lastName', 'customers.lastName')}
      {text('phone', 'customers.phone')}
      {text('company', 'customers.company')}
      {text('taxId', 'customers.taxId')}
      <Field label={t('customers.type')} error={errors.type}>
        {(id) => (
          <select id={id} value={value.type} onChange={(e) => onChange({ ...value, type: e.currentTarget.value as CustomerType })}>
            {CUSTOMER_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(TYPE_LABEL[type])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField label={t('customers.tags')} hint={t('customers.tagsHint')} value={value.tags} error={errors.tags} onInput={(e) => onChange({ ...value, tags: e.currentTarget.value })} />
      <Field label={t('customers.notes')} error={errors.notes}>
        {(id) => <textarea id={id} rows={3} value={value.notes} onInput={(e) => onChange({ ...value, notes: e.currentTarget.value })} />}
      </Field>
      <label class="checkbox-line">
        <input type="checkbox" checked={value.marketingConsent} onChange={(e) => onChange({ ...value, marketingConsent: e.currentTarget.checked })} /> {t('customers.marketingConsent')}
      </label>
    </div>
  )
}

/** An address as the form holds it. */
export interface AddressDraft {
  kind: AddressKind
  isDefault: boolean
  name: string
  line1: string
  line2: string
  city: string
  region: string
  postalCode: string
  country: string
  phone: string
}

/** An empty address form (shipping, Mexico). */
export const EMPTY_ADDRESS: AddressDraft = { kind: 'shipping', isDefault: false, name: '', line1: '', line2: '', city: '', region: '', postalCode: '', country: 'MX', phone: '' }

/** An address's form state. */
export function addressDraft(a: Schemas['CustomerAddress']): AddressDraft {
  return { kind: a.kind, isDefault: a.isDefault, name: a.name, line1: a.line1, line2: a.line2 ?? '', city: a.city, region: a.region ?? '', postalCode: a.postalCode, country: a.country, phone: a.phone ?? '' }
}

/** True when the form has nothing typed in it (the optional address of a new customer). */
export function isBlankAddress(a: AddressDraft): boolean {
  return [a.name, a.line1, a.line2, a.city, a.region, a.postalCode, a.phone].every((text) => text.trim() === '')
}

/** The API body of an address form; optional fields left empty are omitted. */
export function addressBody(a: AddressDraft): Schemas['CustomerAddressInput'] {
  const optional = (text: string) => (text.trim() === '' ? undefined : text.trim())
  const body = { kind: a.kind, isDefault: a.isDefault, name: a.name.trim(), line1: a.line1.trim(), line2: optional(a.line2), city: a.city.trim(), region: optional(a.region), postalCode: a.postalCode.trim(), country: a.country.trim().toUpperCase(), phone: optional(a.phone) }
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Schemas['CustomerAddressInput']
}

/** The fields of an address form; `errors` keys are the address's own field names. */
export function AddressFields(props: { value: AddressDraft; onChange: (value: AddressDraft) => void; errors: Record<string, string> }) {
  const { value, onChange, errors } = props
  const text = (key: 'name' | 'line1' | 'line2' | 'city' | 'region' | 'postalCode' | 'country' | 'phone', label: MessageKey, required = false) => (
    <TextField label={t(label)} value={value[key]} error={errors[key]} required={required} onInput={(e) => onChange({ ...value, [key]: e.currentTarget.value })} />
  )
  return (
    <div class="grid-2">
      <Field label={t('customers.address.kind')}>
        {(id) => (
          <select id={id} value={value.kind} onChange={(e) => onChange({ ...value, kind: e.currentTarget.value as AddressKind })}>
            <option value="shipping">{t(KIND_LABEL.shipping)}</option>
            <option value="billing">{t(KIND_LABEL.billing)}</option>
          </select>
        )}
      </Field>
      {text('name', 'customers.address.name', true)}
      {text('line1', 'customers.address.line1', true)}
      {text('line2', 'customers.address.line2')}
      {text('city', 'customers.address.city', true)}
      {text('region', 'customers.address.region')}
      {text('postalCode', 'customers.address.postalCode', true)}
      {text('country', 'customers.address.country', true)}
      {text('phone', 'customers.address.phone')}
      <label class="checkbox-line">
        <input type="checkbox" checked={value.isDefault} onChange={(e) => onChange({ ...value, isDefault: e.currentTarget.checked })} /> {t('customers.address.makeDefault')}
      </label>
    </div>
  )
}

/** Errors of one address out of a body's field errors (`addresses.0.city` → `city`), or of a bare address body. */
export function addressErrors(errors: Record<string, string>, prefix = ''): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => key.startsWith(prefix)).map(([key, message]) => [key.slice(prefix.length), message]))
}

/** The customer's orders, newest first (one page). */
export function customerOrders(customerId: string) {
  return api.get('/v1/orders', { query: { customerId, limit: 50 } })
}
