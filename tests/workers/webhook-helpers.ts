// Helpers for the webhook tests: endpoints created through the API, the local receiver's script and log, and the
// endpoint objects' queues (moving a retry's due time to now stands in for waiting hours).
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { vi } from 'vitest'
import type { Received } from '../helpers/fake-receiver'
import { api, unique, type Account } from './helpers'

export const receiverUrl = (env as Env & { WEBHOOK_RECEIVER_URL: string }).WEBHOOK_RECEIVER_URL

/** An endpoint as the create route answers it. */
export interface Endpoint {
  id: string
  url: string
  eventTypes: string[]
  enabled: boolean
  disabledReason: string | null
  secret: string
}

/** A receiver script id and its URL. */
export function receiver(): { id: string; url: string } {
  const id = unique('r').replace(/[^\w-]/g, '')
  return { id, url: `${receiverUrl}/r/${id}` }
}

/** Sets what the receiver answers to `id`, in order (the last status repeats), and clears its log. */
export async function script(id: string, statuses: number[], delayMs = 0): Promise<void> {
  await fetch(`${receiverUrl}/ctl/${id}`, { method: 'POST', body: JSON.stringify({ statuses, delayMs }) })
}

/** What the receiver got for `id`. */
export async function received(id: string): Promise<Received[]> {
  return (await (await fetch(`${receiverUrl}/ctl/${id}`)).json()) as Received[]
}

/** Waits until the receiver got at least `count` requests for `id`. */
export async function receivedAtLeast(id: string, count: number, timeout = 15_000): Promise<Received[]> {
  return vi.waitFor(
    async () => {
      const got = await received(id)
      if (got.length < count) throw new Error(`${got.length} of ${count}`)
      return got
    },
    { timeout, interval: 100 },
  )
}

/** Creates an endpoint (201 expected). */
export async function createEndpoint(owner: Account, body: Record<string, unknown>): Promise<Endpoint> {
  const { res, body: created } = await api<Endpoint>('/v1/webhooks/endpoints', { token: owner.accessToken, body: { eventTypes: ['*'], ...body } })
  if (res.status !== 201) throw new Error(`endpoint not created: ${res.status} ${JSON.stringify(created)}`)
  return created
}

/** The endpoint's object. */
export function endpointObject(id: string) {
  return env.WEBHOOK_ENDPOINT.get(env.WEBHOOK_ENDPOINT.idFromName(id))
}

/** Rows of the object's queue. */
export async function queue(id: string): Promise<{ event_id: string; status: string; attempts: number; next_at: number | null }[]> {
  return runInDurableObject(endpointObject(id), (_instance, state) =>
    state.storage.sql.exec<{ event_id: string; status: string; attempts: number; next_at: number | null }>('select event_id, status, attempts, next_at from messages order by created_at').toArray(),
  )
}

/** Makes every pending retry due now and runs the object's alarm, as if the wait had passed; returns once nothing due is left and the log reached Postgres. */
export async function fastForward(id: string): Promise<void> {
  const stub = endpointObject(id)
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("update messages set next_at = 0 where status = 'pending'")
  })
  await settle(id)
}

/** Whether a run of the object is under way (an alarm that fired on its own, or one a test started). */
async function running(stub: ReturnType<typeof endpointObject>): Promise<boolean> {
  return runInDurableObject(stub, (instance) => (instance as unknown as { running: boolean }).running)
}

/** Runs the object's alarm until a whole run started after this call left no message due and an empty log outbox. */
export async function settle(id: string, timeout = 30_000): Promise<void> {
  const stub = endpointObject(id)
  await vi.waitFor(
    async () => {
      if (await running(stub)) throw new Error('a run is under way')
      await runInDurableObject(stub, (_instance, state) => state.storage.setAlarm(Date.now()))
      await runDurableObjectAlarm(stub)
      if (await running(stub)) throw new Error('a run is under way')
      const left = await runInDurableObject(stub, (_instance, state) => {
        const due = state.storage.sql.exec<{ n: number }>("select count(*) as n from messages where status = 'pending' and next_at <= ?", Date.now()).one().n
        const log = state.storage.sql.exec<{ n: number }>('select count(*) as n from log').one().n
        return due + log
      })
      if (left > 0) throw new Error(`${left} due or unlogged`)
    },
    { timeout, interval: 50 },
  )
}
