// Sign-in state: the access token lives in memory only; the refresh token in localStorage so a reload or a new tab stays
// signed in. Refreshes rotate the token, so they run one at a time per browser (Web Locks) to never present a used one.
import type { Schemas } from './schema'

const REFRESH_KEY = 'vitrina.refreshToken'
const REFRESH_LOCK = 'vitrina.refresh'
/** Refresh this long before the access token expires, so requests rarely meet a 401. */
const REFRESH_AHEAD_MS = 60_000

type Tokens = Pick<Schemas['Session'], 'accessToken' | 'refreshToken' | 'expiresIn'>
type Listener = (signedIn: boolean) => void

let accessToken: string | null = null
let refreshTimer: ReturnType<typeof setTimeout> | undefined
let refreshing: Promise<string | null> | null = null
const listeners = new Set<Listener>()

function notify(): void {
  for (const listener of listeners) listener(accessToken !== null)
}

/** Stores a fresh pair from sign-in or refresh and schedules the next silent refresh. */
export function acceptTokens(tokens: Tokens): void {
  accessToken = tokens.accessToken
  localStorage.setItem(REFRESH_KEY, tokens.refreshToken)
  clearTimeout(refreshTimer)
  refreshTimer = setTimeout(() => void refreshAccessToken(), Math.max(tokens.expiresIn * 1000 - REFRESH_AHEAD_MS, 5_000))
  notify()
}

/** Forgets every token of this browser (sign-out, or a refresh the API refused). */
export function clearTokens(): void {
  accessToken = null
  localStorage.removeItem(REFRESH_KEY)
  clearTimeout(refreshTimer)
  notify()
}

/** The current access token, if signed in. */
export function currentAccessToken(): string | null {
  return accessToken
}

/** The stored refresh token, if any (a session may be resumed, or revoked on sign-out). */
export function storedRefreshToken(): string | null {
  return localStorage.getItem(REFRESH_KEY)
}

/** Calls `listener` whenever the signed-in state changes; returns the unsubscribe function. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

async function rotate(): Promise<string | null> {
  const refreshToken = localStorage.getItem(REFRESH_KEY)
  if (!refreshToken) return null
  const res = await fetch('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })
  if (res.status === 401) {
    clearTokens()
    return null
  }
  if (!res.ok) throw new Error(`Refreshing the session failed (${res.status})`)
  const tokens = (await res.json()) as Tokens
  acceptTokens(tokens)
  return tokens.accessToken
}

/** Exchanges the stored refresh token for a new pair; concurrent callers share one exchange. Null when signed out. */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= navigator.locks.request(REFRESH_LOCK, rotate).finally(() => {
    refreshing = null
  })
  return refreshing
}
