// Start-up tasks recorded in Postgres (`startup_tasks`): while one runs, /v1/health answers 503 `starting`, so nobody
// (the banner, a test stack, a load balancer) takes the instance for ready before its demo data is complete.
import { eq } from 'drizzle-orm'
import type { Database } from '../../workers/db/client'
import { startupTasks } from '../../workers/db/schema'

/** Whether the task finished on an earlier start (a crash mid-task leaves it `running`, so it runs again). */
export async function startupTaskDone(db: Database, name: string): Promise<boolean> {
  const [row] = await db.select({ state: startupTasks.state }).from(startupTasks).where(eq(startupTasks.name, name))
  return row?.state === 'done'
}

/** Records the task's state; `running` makes /v1/health answer 503 until it is `done`. */
export async function markStartupTask(db: Database, name: string, state: 'running' | 'done'): Promise<void> {
  await db
    .insert(startupTasks)
    .values({ name, state })
    .onConflictDoUpdate({ target: startupTasks.name, set: { state, updatedAt: new Date() } })
}
