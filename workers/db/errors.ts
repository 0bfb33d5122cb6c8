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
