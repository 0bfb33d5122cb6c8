// Customers: list with search and filters, create (with addresses), read, update, and delete by anonymisation.
import { createRoute } from '@hono/zod-openapi'
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { Caller } from '../../auth/context'
import { anonymiseCustomer, insertAddress, lockCustomer } from '../../commerce/customer-book'
import { customerJson, getCustomer, type CustomerView } from '../../commerce/customers'
import { recordEvent } from '../../commerce/events'
import { dispatchEvents } from '../../webhooks/endpoints'
import type { Database } from '../../db/client'
import { isUniqueViolation } from '../../db/errors'
import { customers } from '../../db/schema/customers'
import { recordAudit } from '../../lib/audit'
import { ApiError } from '../../lib/errors'
import { ANY_CREDENTIAL, createRouter, errorResponse, jsonBody, jsonResponse } from '../../lib/openapi'
import { INVALID_CURSOR_RESPONSE, newestFirst, olderThan, pageOf, timestampText, toPage } from '../../lib/pagination'
import { requireScope } from '../../middleware/authenticate'
import { CustomerIdParam, CustomerInputSchema, CustomerListItemSchema, CustomerListQuerySchema, CustomerPatchSchema, CustomerSchema } from './schemas'

/** The 409 of an email another customer of the shop already has (compared case-insensitively). */
export function customerEmailTaken(email: string): ApiError {
  return new ApiError('customer_email_taken', `A customer with email ${email} already exists`, { details: [{ in: 'json', path: 'email', message: 'already used by another customer', code: 'customer_email_taken' }] })
}

/** Runs a write and turns a clash on the (tenant, lower(email)) index into 409 `customer_email_taken`. */
async function withUniqueEmail<T>(email: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (email !== undefined && isUniqueViolation(error, 'customers_tenant_email_key')) throw customerEmailTaken(email)
    throw error
  }
}

/** The customer for an answer; a customer that vanished meanwhile is a 404. */
async function customerOr404(db: Database, tenantId: string, id: string): Promise<CustomerView> {
  const customer = await getCustomer(db, tenantId, id)
  if (!customer) throw new ApiError('not_found', 'No customer with this id')
  return customer
}

/** `%text%` for LIKE with the pattern characters of `text` escaped (backslash is Postgres' default escape). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}

/** The consent fields for a change of `marketingConsent`: consentAt set on giving it, cleared on withdrawing it. */
function consentFields(consent: boolean | undefined, current?: { marketingConsent: boolean; consentAt: Date | null }) {
  if (consent === undefined) return {}
  if (!consent) return { marketingConsent: false, consentAt: null }
  return { marketingConsent: true, consentAt: current?.marketingConsent ? current.consentAt : new Date() }
}

const audit = (tx: Database, caller: Caller, action: string, id: string, details: Record<string, unknown>) =>
  recordAudit(tx, caller, { action, targetType: 'customer', targetId: id, details })

const denied = { 401: errorResponse('No valid credential'), 403: errorResponse('Scope missing, or a publishable key'), 429: errorResponse('Rate limited') }
const one = (description: string) => jsonResponse(description, CustomerSchema)

const list = createRoute({
  method: 'get',
  path: '/v1/customers',
  tags: ['Customers'],
  summary: 'List customers newest first, searched by name, email or company and filtered by type and tags',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { query: CustomerListQuerySchema },
  responses: { 200: jsonResponse('A page of customers', pageOf(CustomerListItemSchema)), 400: INVALID_CURSOR_RESPONSE, ...denied },
})
const get = createRoute({
  method: 'get',
  path: '/v1/customers/{id}',
  tags: ['Customers'],
  summary: 'One customer with their addresses',
  middleware: requireScope('read'),
  security: ANY_CREDENTIAL,
  request: { params: CustomerIdParam },
  responses: { 200: one('The customer'), 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such customer (or deleted)') },
})
const create = createRoute({
  method: 'post',
  path: '/v1/customers',
  tags: ['Customers'],
  summary: 'Create a customer, optionally with addresses (records customer.created)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { body: jsonBody(CustomerInputSchema) },
  responses: { 201: one('Created'), 400: errorResponse('Invalid fields, one issue each'), ...denied, 409: errorResponse('customer_email_taken') },
})
const patch = createRoute({
  method: 'patch',
  path: '/v1/customers/{id}',
  tags: ['Customers'],
  summary: 'Update a customer (order statistics are read-only; addresses have their own routes)',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: CustomerIdParam, body: jsonBody(CustomerPatchSchema) },
  responses: { 200: one('Updated'), 400: errorResponse('Invalid fields'), ...denied, 404: errorResponse('No such customer'), 409: errorResponse('customer_email_taken') },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/customers/{id}',
  tags: ['Customers'],
  summary: 'Delete a customer: the person is anonymised, the record stays for their orders',
  middleware: requireScope('write'),
  security: ANY_CREDENTIAL,
  request: { params: CustomerIdParam },
  responses: { 204: { description: 'Anonymised' }, 400: errorResponse('Bad id'), ...denied, 404: errorResponse('No such customer') },
})

export const customerRoutes = createRouter()
  .openapi(list, async (c) => {
    const { limit, cursor, q, type, tag } = c.req.valid('query')
    const tags = tag === undefined ? [] : Array.isArray(tag) ? tag : [tag]
    const filters: (SQL | undefined)[] = [
      eq(customers.tenantId, c.var.caller.tenantId),
      isNull(customers.deletedAt),
      q ? sql`${customers.searchText} like ${containsPattern(q.toLowerCase())}` : undefined,
      type ? eq(customers.type, type) : undefined,
      tags.length > 0 ? sql`${customers.tags} @> array[${sql.join(tags.map((t) => sql`${t}`), sql`, `)}]::text[]` : undefined,
      olderThan(customers.createdAt, customers.id, cursor),
    ]
    const rows = await c.var.db
      .get()
      .select({ customer: customers, createdAtText: timestampText(customers.createdAt) })
      .from(customers)
      .where(and(...filters))
      .orderBy(...newestFirst(customers.createdAt, customers.id))
      .limit(limit + 1)
    return c.json(toPage(rows, limit, (r) => customerJson(r.customer), (r) => [r.createdAtText, r.customer.id]), 200)
  })
  .openapi(get, async (c) => c.json(await customerOr404(c.var.db.get(), c.var.caller.tenantId, c.req.valid('param').id), 200))
  .openapi(create, async (c) => {
    const { addresses = [], marketingConsent, ...input } = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    const id = await withUniqueEmail(input.email, () =>
      db.transaction(async (tx) => {
        const [row] = await tx
          .insert(customers)
          .values({ ...input, tenantId: caller.tenantId, ...consentFields(marketingConsent) })
          .returning({ id: customers.id, email: customers.email })
        if (!row) throw new Error('insert returned no row')
        for (const address of addresses) await insertAddress(tx, caller.tenantId, row.id, address)
        await recordEvent(tx, { tenantId: caller.tenantId, type: 'customer.created', subjectType: 'customer', subjectId: row.id, data: { id: row.id, email: row.email } })
        await audit(tx, caller, 'customer.created', row.id, { addresses: addresses.length })
        return row.id
      }),
    )
    c.executionCtx.waitUntil(dispatchEvents(c.env, caller.tenantId, ['customer.created']))
    return c.json(await customerOr404(db, caller.tenantId, id), 201)
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const { marketingConsent, ...input } = c.req.valid('json')
    const caller = c.var.caller
    const db = c.var.db.get()
    await withUniqueEmail(input.email, () =>
      db.transaction(async (tx) => {
        await lockCustomer(tx, caller.tenantId, id)
        const [current] = await tx.select({ marketingConsent: customers.marketingConsent, consentAt: customers.consentAt }).from(customers).where(eq(customers.id, id))
        await tx
          .update(customers)
          .set({ ...input, ...consentFields(marketingConsent, current), updatedAt: new Date() })
          .where(and(eq(customers.id, id), eq(customers.tenantId, caller.tenantId)))
        await audit(tx, caller, 'customer.updated', id, { fields: Object.keys(c.req.valid('json')) })
      }),
    )
    return c.json(await customerOr404(db, caller.tenantId, id), 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    const caller = c.var.caller
    await c.var.db.get().transaction(async (tx) => {
      await lockCustomer(tx, caller.tenantId, id)
      await anonymiseCustomer(tx, caller.tenantId, id)
      await audit(tx, caller, 'customer.deleted', id, {})
    })
    return c.body(null, 204)
  })
