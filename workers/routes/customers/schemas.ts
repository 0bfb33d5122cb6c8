// Request and response schemas of customers and their address book.
import { z } from '@hono/zod-openapi'
import { AddressSchema } from '../../commerce/address'
import { ADDRESS_KINDS, CUSTOMER_TYPES } from '../../db/schema/customers'
import { PageQuerySchema } from '../../lib/pagination'

/** Addresses one customer may keep. */
export const MAX_ADDRESSES_PER_CUSTOMER = 50
const MAX_TAGS = 50

const text = (max: number) => z.string().trim().max(max).nullable().optional()
const TagSchema = z.string().trim().min(1).max(50)

const AddressKindSchema = z.enum(ADDRESS_KINDS).openapi({ description: 'billing or shipping' })
const addressExtras = {
  kind: AddressKindSchema,
  isDefault: z.boolean().optional().openapi({ description: 'The first address of a kind becomes its default; setting another as default unsets the previous one' }),
}

export const AddressInputSchema = AddressSchema.extend(addressExtras).openapi('CustomerAddressInput')
export const AddressPatchSchema = AddressSchema.extend(addressExtras).partial().openapi('CustomerAddressPatch')

export const CustomerAddressSchema = z
  .object({
    id: z.uuid(),
    kind: AddressKindSchema,
    isDefault: z.boolean(),
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string().openapi({ description: 'ISO 3166-1 alpha-2' }),
    phone: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('CustomerAddress')

const customerFields = {
  email: z.email().max(254).openapi({ description: 'Unique per shop, compared case-insensitively' }),
  firstName: text(100),
  lastName: text(100),
  phone: text(40),
  company: text(200),
  taxId: text(50),
  type: z.enum(CUSTOMER_TYPES).optional(),
  tags: z.array(TagSchema).max(MAX_TAGS).optional(),
  notes: text(5000),
  marketingConsent: z.boolean().optional().openapi({ description: 'consentAt is set when consent is given and cleared when it is withdrawn' }),
}

export const CustomerInputSchema = z
  .object({
    ...customerFields,
    addresses: z
      .array(AddressInputSchema)
      .max(MAX_ADDRESSES_PER_CUSTOMER)
      .refine((list) => ADDRESS_KINDS.every((kind) => list.filter((a) => a.kind === kind && a.isDefault === true).length <= 1), 'at most one default address of each kind')
      .optional(),
  })
  .openapi('CustomerInput')
export const CustomerPatchSchema = z.object(customerFields).partial().openapi('CustomerPatch')

const customerOutput = {
  id: z.uuid(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  taxId: z.string().nullable(),
  type: z.enum(CUSTOMER_TYPES),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  marketingConsent: z.boolean(),
  consentAt: z.string().nullable().openapi({ format: 'date-time' }),
  ordersCount: z.number().int().openapi({ description: 'Read-only: kept current by payments and refunds' }),
  totalSpent: z.number().int().openapi({ description: 'Read-only, minor units: paid orders less refunds' }),
  lastOrderAt: z.string().nullable().openapi({ format: 'date-time' }),
  createdAt: z.string().openapi({ format: 'date-time' }),
  updatedAt: z.string().openapi({ format: 'date-time' }),
}

export const CustomerListItemSchema = z.object(customerOutput).openapi('CustomerListItem')
export const CustomerSchema = z.object({ ...customerOutput, addresses: z.array(CustomerAddressSchema) }).openapi('Customer')

export const CustomerListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Part of a name, email or company (case-insensitive)' }),
  type: z.enum(CUSTOMER_TYPES).optional(),
  tag: z
    .union([TagSchema, z.array(TagSchema).max(10)])
    .optional()
    .openapi({ description: 'Repeatable; a customer matches when it has every tag given' }),
})

export const CustomerIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })
export const AddressIdParam = CustomerIdParam.extend({ addressId: z.uuid().openapi({ param: { name: 'addressId', in: 'path' } }) })
