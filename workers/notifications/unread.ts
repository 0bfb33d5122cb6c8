// A member's unread in-app notifications in a tenant: one count shared by the notifications routes and the tenant's
// realtime channel, so the bell shows the same number whichever of them it came from.
import { and, count, eq, inArray, isNull } from 'drizzle-orm'
import type { Database } from '../db/client'
import { notifications } from '../db/schema/notifications'

/** The rows that are `userId`'s in-app notifications in `tenantId`. */
export const inAppOf = (tenantId: string, userId: string) => and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), eq(notifications.channel, 'in_app'))

/** How many of `userId`'s in-app notifications in `tenantId` are unread. */
export async function unreadCount(db: Database, tenantId: string, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(inAppOf(tenantId, userId), isNull(notifications.readAt)))
  return row?.n ?? 0
}

/** Unread counts of several members at once; a member with none is in the map with 0. */
export async function unreadCounts(db: Database, tenantId: string, userIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map(userIds.map((id) => [id, 0]))
  if (userIds.length === 0) return counts
  const rows = await db
    .select({ userId: notifications.userId, n: count() })
    .from(notifications)
    .where(and(eq(notifications.tenantId, tenantId), inArray(notifications.userId, [...userIds]), eq(notifications.channel, 'in_app'), isNull(notifications.readAt)))
    .groupBy(notifications.userId)
  for (const row of rows) counts.set(row.userId, row.n)
  return counts
}
