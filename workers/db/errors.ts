// Recognises Postgres errors behind drizzle's wrapper, so routes can answer a constraint violation with a 409.

interface PostgresError {
  code?: string
  constraint?: string
}

function postgresError(error: unknown): PostgresError | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const candidate = current as Error & PostgresError
    if (typeof candidate.code === 'string') return candidate
    current = current.cause
  }
  return undefined
}

/** True when `error` is a unique violation (23505), optionally of the named index or constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresError(error)
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint)
}

/** Postgres refusing a new connection: too many clients (53300), or starting up / shutting down (57P03). */
const CONNECTION_REFUSALS = new Set(['53300', '57P03'])

/** True when the server turned the connection away for capacity or start-up; the request may be retried as it was. */
export function isConnectionRefusal(error: unknown): boolean {
  const code = postgresError(error)?.code
  return code !== undefined && CONNECTION_REFUSALS.has(code)
}
