// The event cursor `(xact_id, id)` below the snapshot's xmin: an event whose transaction commits after a newer one is
// delivered once and within a second (a quick re-pass, not the sweep), an event beyond the horizon is held back until
// its transaction is surely finished, and a `(created_at, id)` cursor stored before migration 0024 carries on.
import { env, runInDurableObject } from 'cloudflare:test'
import { sql } from 'drizzle-orm'
import { describe, expect, it, vi } from 'vitest'
import { REPASS_MAX_MS } from '../../durable-objects/lib/event-cursor'
import { createDatabase, queryRows, type Database } from '../../workers/db/client'
import { events } from '../../workers/db/schema/events'
import { dispatchEvents } from '../../workers/webhooks/endpoints'
import { signUp } from './helpers'
import { createEndpoint, endpointObject, received, receivedAtLeast, receiver, script, settle } from './webhook-helpers'

async function withDb<T>(run: (db: Database) => Promise<T>): Promise<T> {
  const client = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
  try {
    return await run(client.db)
  } finally {
    await client.close()
  }
}

const orderEvent = (tenantId: string, type: 'order.created' | 'order.paid') => ({ tenantId, type, subjectType: 'order', subjectId: crypto.randomUUID(), data: { version: 1 } })

async function insertEvent(tenantId: string, type: 'order.created' | 'order.paid'): Promise<string> {
  const [row] = await withDb((db) => db.insert(events).values(orderEvent(tenantId, type)).returning({ id: events.id }))
  if (!row) throw new Error('no event inserted')
  return row.id
}

/** PGlite has one session: the test server serialises transactions, so none can stay open while another commits. */
async function onPglite(): Promise<boolean> {
  const [row] = await withDb((db) => queryRows<{ version: string }>(db, sql`select version()`))
  return row?.version.includes('PGlite') ?? false
}

/** The endpoint object's delay before its next quick re-pass (null when nothing waits behind an open transaction). */
async function repassMs(endpointId: string): Promise<number | null> {
  return runInDurableObject(endpointObject(endpointId), (instance) => (instance as unknown as { repassMs: number | null }).repassMs)
}

/** Whether the object runs now or has its alarm set within the longest re-pass delay. */
async function passesSoon(endpointId: string): Promise<boolean> {
  return runInDurableObject(endpointObject(endpointId), async (instance, state) => {
    if ((instance as unknown as { running: boolean }).running) return true
    const alarm = await state.storage.getAlarm()
    return alarm !== null && alarm - Date.now() <= REPASS_MAX_MS
  })
}

async function storedCursor(endpointId: string): Promise<string | undefined> {
  return runInDurableObject(endpointObject(endpointId), (_instance, state) =>
    state.storage.sql.exec<{ value: string }>("select value from meta where key = 'cursor'").toArray()[0]?.value,
  )
}

describe('event cursor', () => {
  it('delivers an event whose transaction commits after a newer one once, within a second of its commit', async (ctx) => {
    if (await onPglite()) return ctx.skip()
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(owner, { url: target.url, eventTypes: ['order.created', 'order.paid'] })
    await settle(endpoint.id)

    // T1 inserts its event and stays open; T2 inserts a newer one, commits and wakes the endpoint as a producer does.
    const t1 = createDatabase({ url: env.DATABASE_URL, driver: env.DATABASE_DRIVER })
    let commitT1 = (): void => undefined
    const held = new Promise<void>((resolve) => (commitT1 = resolve))
    let insertedT1: (id: string) => void = () => undefined
    const firstId = new Promise<string>((resolve) => (insertedT1 = resolve))
    const t1Done = t1.db.transaction(async (tx) => {
      const [row] = await tx.insert(events).values(orderEvent(owner.tenant.id, 'order.created')).returning({ id: events.id })
      insertedT1(row?.id ?? '')
      await held
    })
    try {
      const first = await firstId
      const second = await insertEvent(owner.tenant.id, 'order.paid')
      await dispatchEvents(env, owner.tenant.id, ['order.paid'])

      // A pass ran, saw T2's event beyond the horizon T1 holds, delivered nothing and asked for a quick re-pass.
      await vi.waitFor(
        async () => {
          if ((await repassMs(endpoint.id)) === null) throw new Error('no pass saw the waiting event yet')
        },
        { timeout: 10_000, interval: 25 },
      )
      await scheduler.wait(600)
      expect(await received(target.id)).toEqual([])
      await vi.waitFor(async () => expect(await passesSoon(endpoint.id)).toBe(true), { timeout: 2_000, interval: 20 })

      // T1 commits with no wake-up: the re-pass delivers both, T1's within a second.
      commitT1()
      await t1Done
      const got = await receivedAtLeast(target.id, 2, 1_000)
      expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([first, second]))
      await settle(endpoint.id)
      expect((await received(target.id)).map((r) => r.headers['webhook-id']).sort()).toEqual([first, second].sort())
    } finally {
      commitT1()
      await t1Done.catch(() => undefined)
      await t1.close()
    }
  })

  it('holds back an event beyond the snapshot horizon, passing again soon, and delivers it once its transaction is behind', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(owner, { url: target.url, eventTypes: ['order.created', 'order.paid'] })
    await settle(endpoint.id)
    const before = await insertEvent(owner.tenant.id, 'order.created')
    // An event stamped with a transaction id not handed out yet stands for one whose transaction is still open,
    // which is the only way to have one on PGlite (one session, transactions never overlap).
    const ahead = 1_000
    const [future] = await withDb((db) =>
      queryRows<{ id: string; xact: string }>(
        db,
        sql`insert into events (tenant_id, type, subject_type, subject_id, data, xact_id)
            values (${owner.tenant.id}::uuid, 'order.paid', 'order', 'future', '{}'::jsonb, ((pg_current_xact_id()::text::bigint + ${ahead})::text)::xid8)
            returning id, xact_id::text as xact`,
      ),
    )
    await dispatchEvents(env, owner.tenant.id, ['order.paid'])
    await vi.waitFor(
      async () => {
        if ((await repassMs(endpoint.id)) === null) throw new Error('no pass saw the waiting event yet')
        if ((await received(target.id)).length < 1) throw new Error('the finished event is not delivered yet')
      },
      { timeout: 10_000, interval: 25 },
    )
    await scheduler.wait(300)
    expect((await received(target.id)).map((r) => r.headers['webhook-id'])).toEqual([before])
    await vi.waitFor(async () => expect(await passesSoon(endpoint.id)).toBe(true), { timeout: 2_000, interval: 20 })

    // Hand out transaction ids until the stamped one is below every snapshot's xmin (each loop turn commits one; a DO
    // block takes no parameters, so the id goes in as checked digits).
    const stamped = future?.xact ?? ''
    expect(stamped).toMatch(/^\d+$/)
    await withDb((db) =>
      db.execute(
        sql.raw(`do $$ begin
          while pg_snapshot_xmin(pg_current_snapshot())::text::bigint <= ${stamped} loop
            perform set_config('synchronous_commit', 'off', true);
            perform pg_current_xact_id();
            commit;
          end loop;
        end $$`),
      ),
    )
    const got = await receivedAtLeast(target.id, 2, 2_000)
    expect(got.map((r) => r.headers['webhook-id'])).toEqual([before, future?.id])
    await settle(endpoint.id)
    expect(await received(target.id)).toHaveLength(2)
    expect(await repassMs(endpoint.id)).toBeNull()
  })

  it('carries on from a (created_at, id) cursor stored before migration 0024 without sending anything twice', async () => {
    const owner = await signUp()
    const target = receiver()
    await script(target.id, [200])
    const endpoint = await createEndpoint(owner, { url: target.url })
    const first = await insertEvent(owner.tenant.id, 'order.created')
    await settle(endpoint.id)
    expect((await received(target.id)).map((r) => r.headers['webhook-id'])).toEqual([first])

    const [old] = await withDb((db) =>
      queryRows<{ at: string; ms: string }>(db, sql`select created_at::text as at, (extract(epoch from created_at) * 1000)::text as ms from events where id = ${first}::uuid`),
    )
    const legacy = JSON.stringify({ at: old?.at, id: first, ms: Math.floor(Number(old?.ms)) })
    await runInDurableObject(endpointObject(endpoint.id), (_instance, state) => state.storage.sql.exec("update meta set value = ? where key = 'cursor'", legacy))
    const second = await insertEvent(owner.tenant.id, 'order.paid')
    await settle(endpoint.id)
    expect((await received(target.id)).map((r) => r.headers['webhook-id'])).toEqual([first, second])
    expect(JSON.parse((await storedCursor(endpoint.id)) ?? '{}')).toEqual({ xact: expect.stringMatching(/^\d+$/), id: expect.any(String) })
  })
})
