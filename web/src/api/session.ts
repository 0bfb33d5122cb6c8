// Sign-in state: the access token lives in memory only; the refresh token is an HttpOnly cookie the API sets on
// /v1/auth, which no script here can read, so a reload or a new tab resumes the session by calling refresh. Refreshes
// rotate the cookie, so they run one at a time per browser (Web Locks) to never present a used one.
import type { Schemas } from './schema'

/** Where an older version of this app kept the refresh token; removed wherever it is still found. */
const LEGACY_REFRESH_KEY = 'vitrina.refreshToken'
const REFRESH_LOCK = 'vitrina.refresh'
/** Refresh this long before the access token expires, so requests rarely meet a 401. */
const REFRESH_AHEAD_MS = 60_000

type Tokens = Pick<Schemas['Tokens'], 'accessToken' | 'expiresIn'>
type Listener = (signedIn: boolean) => void

let accessToken: string | null = null
let refreshTimer: ReturnType<typeof setTimeout> | undefined
let refreshing: Promise<string | null> | null = null
const listeners = new Set<Listener>()

localStorage.removeItem(LEGACY_REFRESH_KEY)

function notify(): void {
  for (const listener of listeners) listener(accessToken !== null)
}

/** Keeps the access token of a sign-in or refresh in memory and schedules the next silent refresh. */
export function acceptTokens(tokens: Tokens): void {
  accessToken = tokens.accessToken
  clearTimeout(refreshTimer)
  refreshTimer = setTimeout(() => void refreshAccessToken(), Math.max(tokens.expiresIn * 1000 - REFRESH_AHEAD_MS, 5_000))
  notify()
}

/** Forgets the access token (sign-out, or a refresh the API refused); the API clears the cookie on sign-out. */
export function clearTokens(): void {
  accessToken = null
  clearTimeout(refreshTimer)
  notify()
}

/** The current access token, if signed in. */
export function currentAccessToken(): string | null {
  return accessToken
}

/** Calls `listener` whenever the signed-in state changes; returns the unsubscribe function. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

async function rotate(): Promise<string | null> {
  const res = await fetch('/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' })
  if (res.status === 401) {
    clearTokens()
    return null
  }
  if (!res.ok) throw new Error(`Refreshing the session failed (${res.status})`)
  const tokens = (await res.json()) as Tokens
  acceptTokens(tokens)
  return tokens.accessToken
}

/** Exchanges the refresh cookie for a new access token; concurrent callers share one exchange. Null when signed out. */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= navigator.locks.request(REFRESH_LOCK, rotate).finally(() => {
    refreshing = null
  })
  return refreshing
}
