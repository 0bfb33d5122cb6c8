// UTC day arithmetic shared by the RateLimiter object and the Worker's token leases, so both count days alike.

const DAY_MS = 86_400_000

/** The UTC day (`YYYY-MM-DD`) of an instant. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** The instant a UTC day (`YYYY-MM-DD`) ends: the next midnight. */
export const utcDayEnd = (day: string): number => Date.parse(`${day}T00:00:00Z`) + DAY_MS

/** Whole seconds from `ms` to the next UTC midnight, at least 1. */
export const secondsToUtcMidnight = (ms: number): number => Math.max(1, Math.ceil((utcDayEnd(utcDay(ms)) - ms) / 1000))
