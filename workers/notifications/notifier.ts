// The Worker's handle on a tenant's Notifier object, and the wake-up after a change that recorded events committed.
import type { Notifier } from '../../durable-objects/notifier'
import { coalesced } from '../lib/coalesce'

/** The object that makes `tenantId`'s notifications. */
export function notifierStub(env: Env, tenantId: string): DurableObjectStub<Notifier> {
  return env.NOTIFIER.get(env.NOTIFIER.idFromName(tenantId))
}

/**
 * Wakes the tenant's notifier, coalesced with the wake-ups of this isolate already in flight; a failure is logged and
 * loses nothing (the next wake-up or sweep reads from its cursor).
 */
export function wakeNotifier(env: Env, tenantId: string): Promise<void> {
  return coalesced(`notifier:${tenantId}`, async () => {
    try {
      await notifierStub(env, tenantId).poke(tenantId)
    } catch (error) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'notifier wake-up failed', tenantId, error: error instanceof Error ? error.message : String(error) }))
    }
  })
}
