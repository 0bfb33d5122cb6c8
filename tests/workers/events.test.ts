// Domain events and the customer functions checkout builds on: one event per change in the change's own transaction,
// find-or-create by email under concurrency (one customer, one event), and atomic order statistics.
import { env } from 'cloudflare:test'
import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { applyCustomerOrderStats, findOrCreateCustomerByEmail, getCustomer } from '../../workers/commerce/customers'
import { recordEvent } from '../../workers/commerce/events'
import { createDatabase, type DatabaseClient } from '../../workers/db/client'
import { events } from '../../workers/db/schema/events'
import { signUp, unique } from './helpers'

/** Runs `work` with `count` separate connections (separate backends on a real server), closing them afterwards. */
async function withClients<T>(count: number, work: (clients: DatabaseClient[]) => Promise<T>): Promise<T> {
  const clients = Array.from({ length: count }, () => createDatabase({ url: env.DATABASE_URL }))
  try {
    return await work(clients)
  } finally {
    await Promise.all(clients.map((c) => c.close()))
  }
}

const eventsOf = (client: DatabaseClient, tenantId: string, subjectId?: string) =>
  client.db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), ...(subjectId ? [eq(events.subjectId, subjectId)] : [])))

describe('domain events', () => {
  it('records an event with the transaction of its change, and none when that transaction rolls back', async () => {
    const { tenant } = await signUp()
    await withClients(1, async ([client]) => {
      if (!client) throw new Error('no client')
      const subjectId = crypto.randomUUID()
      await client.db.transaction(async (tx) => {
        await recordEvent(tx, { tenantId: tenant.id, type: 'order.created', subjectType: 'order', subjectId, data: { number: 1001 } })
      })
      await expect(
        client.db.transaction(async (tx) => {
          await recordEvent(tx, { tenantId: tenant.id, type: 'order.paid', subjectType: 'order', subjectId, data: {} })
          throw new Error('the change failed')
        }),
      ).rejects.toThrow('the change failed')
      const rows = await eventsOf(client, tenant.id, subjectId)
      expect(rows).toEqual([expect.objectContaining({ type: 'order.created', subjectType: 'order', subjectId, data: { number: 1001 }, createdAt: expect.any(Date) })])
    })
  })

  it('makes exactly one customer and one customer.created event from concurrent find-or-create calls', async () => {
    const { tenant } = await signUp()
    const email = `${unique('race')}@example.com`
    const results = await withClients(8, (clients) =>
      Promise.all(clients.map((c, i) => findOrCreateCustomerByEmail(c.db, tenant.id, { email: i % 2 === 0 ? email : email.toUpperCase(), firstName: 'Ana' }))),
    )
    expect(new Set(results.map((r) => r.id)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    await withClients(1, async ([client]) => {
      if (!client) throw new Error('no client')
      const rows = await eventsOf(client, tenant.id)
      expect(rows).toEqual([expect.objectContaining({ type: 'customer.created', subjectType: 'customer', subjectId: results[0]?.id })])
      const again = await findOrCreateCustomerByEmail(client.db, tenant.id, { email: `  ${email.toUpperCase()} ` })
      expect(again).toEqual({ id: results[0]?.id, email: expect.any(String), created: false })
      expect(await eventsOf(client, tenant.id)).toHaveLength(1)
    })
  })

  it('finds or creates inside a caller transaction, and both roll back together', async () => {
    const { tenant } = await signUp()
    const email = `${unique('tx')}@example.com`
    await withClients(1, async ([client]) => {
      if (!client) throw new Error('no client')
      await expect(
        client.db.transaction(async (tx) => {
          const made = await findOrCreateCustomerByEmail(tx, tenant.id, { email })
          expect(made.created).toBe(true)
          throw new Error('checkout failed')
        }),
      ).rejects.toThrow('checkout failed')
      expect(await eventsOf(client, tenant.id)).toEqual([])
      const made = await client.db.transaction((tx) => findOrCreateCustomerByEmail(tx, tenant.id, { email }))
      expect(made.created).toBe(true)
    })
  })

  it('applies order statistics atomically: concurrent payments all count, the last order time only moves forward', async () => {
    const { tenant } = await signUp()
    await withClients(6, async (clients) => {
      const [first] = clients
      if (!first) throw new Error('no client')
      const { id } = await findOrCreateCustomerByEmail(first.db, tenant.id, { email: `${unique('stats')}@example.com` })
      const latest = new Date('2026-03-01T10:00:00Z')
      await Promise.all(
        clients.map((c, i) => applyCustomerOrderStats(c.db, tenant.id, id, { ordersDelta: 1, spentDelta: 1000 + i, orderAt: new Date(latest.getTime() - i * 60_000) })),
      )
      await applyCustomerOrderStats(first.db, tenant.id, id, { ordersDelta: 0, spentDelta: -500 })
      const customer = await getCustomer(first.db, tenant.id, id)
      expect(customer).toMatchObject({ ordersCount: 6, totalSpent: 6 * 1000 + 15 - 500, lastOrderAt: latest.toISOString() })
      const other = await signUp()
      await expect(applyCustomerOrderStats(first.db, other.tenant.id, id, { ordersDelta: 1, spentDelta: 1 })).rejects.toThrow()
      expect(await getCustomer(first.db, other.tenant.id, id)).toBeUndefined()
      expect(await getCustomer(first.db, tenant.id, 'not-a-uuid')).toBeUndefined()
      const count = await first.db.execute(sql`select count(*)::int as n from customers where tenant_id = ${tenant.id}`)
      expect(count.rows[0]).toEqual({ n: 1 })
    })
  })
})
