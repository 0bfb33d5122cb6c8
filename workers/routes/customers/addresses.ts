// A customer's address book as a sub-resource: add, change and remove billing and shipping addresses (one default each).
import { createRoute } from '@hono/zod-openapi'
import { and, eq, sql } from 'drizzle-orm'
import { deleteAddress, insertAddress, lockCustomer, updateAddress } from '../../commerce/customer-book'
import { addressJson } from '../../commerce/customers'
import type { Database } from '../../db/client'
import { customerAddresses } from '../../db/schema/customers'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { requireScope } from '../../middleware/authenticate'
import { AddressIdParam, AddressInputSchema, AddressPatchSchema, CustomerAddressSchema, CustomerIdParam, MAX_ADDRESSES_PER_CUSTOMER } from './schemas'

async function addressOf(db: Database, tenantId: string, addressId: string) {
  const [row] = await db.select().from(customerAddresses).where(and(eq(customerAddresses.id, addressId), eq(customerAddresses.tenantId, tenantId)))
  if (!row) throw new ApiError('not_found', 'No address with this id')
  return addressJson(row)
}

async function assertRoom(tx: Database, customerId: string): Promise<void> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(customerAddresses).where(eq(customerAddresses.customerId, customerId))
  if ((row?.n ?? 0) >= MAX_ADDRESSES_PER_CUSTOMER) {
    throw new ApiError('conflict', `A customer keeps at most ${MAX_ADDRESSES_PER_CUSTOMER} addresses; remove one first`, { details: { limit: MAX_ADDRESSES_PER_CUSTOMER } })
  }
}

const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing, or a publishable key'), 429: errorResponse('Rate limited') }
const one = (description: string) => jsonResponse(description, CustomerAddressSchema)

const create = createRoute({
  method: 'post',
  path: '/v1/customers/{id}/addresses',
  tags: ['Customers'],
  summary: 'Add an address; the first of its kind, or one sent with isDefault, becomes the default',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: CustomerIdParam, body: jsonBody(AddressInputSchema) },
  responses: {
    201: one('Added'),
    400: errorResponse('Invalid fields (country: ISO 3166-1 alpha-2)'),
    ...denied,
    404: errorResponse('No such customer'),
    409: errorResponse('conflict: the address book is full'),
  },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/customers/{id}/addresses/{addressId}',
  tags: ['Customers'],
  summary: 'Change an address; isDefault true moves the default to it',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: AddressIdParam, body: jsonBody(AddressPatchSchema) },
  responses: { 200: one('Changed'), 400: errorResponse('Invalid fields'), ...denied, 404: errorResponse('No such customer or address') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/customers/{id}/addresses/{addressId}',
  tags: ['Customers'],
  summary: 'Remove an address; the default passes to the oldest remaining one of its kind',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: AddressIdParam },
  responses: { 204: { description: 'Removed' }, 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such customer or address') },
})

export const customerAddressRoutes = createRouter()
  .openapi(create, async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    const addressId = await db.transaction(async (tx) => {
      await lockCustomer(tx, caller.tenantId, id)
      await assertRoom(tx, id)
      const added = await insertAddress(tx, caller.tenantId, id, input)
      await recordAudit(tx, caller, { action: 'customer.address_added', targetType: 'customer', targetId: id, details: { addressId: added, kind: input.kind } })
      return added
    })
    return c.json(await addressOf(db, caller.tenantId, addressId), 201)
  })
  .openapi(patch, async (c) => {
    const { id, addressId } = c.req.valid('param')
    const input = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    await db.transaction(async (tx) => {
      await lockCustomer(tx, caller.tenantId, id)
      await updateAddress(tx, caller.tenantId, id, addressId, input)
      await recordAudit(tx, caller, { action: 'customer.address_updated', targetType: 'customer', targetId: id, details: { addressId, fields: Object.keys(input) } })
    })
    return c.json(await addressOf(db, caller.tenantId, addressId), 200)
  })
  .openapi(remove, async (c) => {
    const { id, addressId } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      await lockCustomer(tx, caller.tenantId, id)
      await deleteAddress(tx, caller.tenantId, id, addressId)
      await recordAudit(tx, caller, { action: 'customer.address_removed', targetType: 'customer', targetId: id, details: { addressId } })
    })
    return c.body(null, 204)
  })
