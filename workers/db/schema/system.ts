// Work an instance must finish before it reports itself ready: `npm start` marks its demo seed here, and /v1/health
// answers 503 `starting` while any task is running. Production has no rows.
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const STARTUP_TASK_STATES = ['running', 'done'] as const

export const startupTasks = pgTable('startup_tasks', {
  name: text('name').primaryKey(),
  state: text('state', { enum: STARTUP_TASK_STATES }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
