// Records admin actions (keys, members, settings; later catalog and stock) in the tenant's audit log.
import { actorOf, type Caller } from '../auth/context'
import type { Database } from '../db/client'
import { auditLog } from '../db/schema/activity'

/** One audited action: what happened to which target. */
export interface AuditEntry {
  action: string
  targetType: string
  targetId?: string
  details?: Record<string, unknown>
}

/** Appends an entry for `caller`'s tenant; call it in the same transaction as the change when there is one. */
export async function recordAudit(db: Database, caller: Caller, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: caller.tenantId,
    ...actorOf(caller),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  })
}
