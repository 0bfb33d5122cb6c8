// The refresh token as a browser sees it: an HttpOnly, Secure, SameSite=Strict cookie sent only to /v1/auth, so no
// script on the origin can read it and no other site can make the browser send it.
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../lib/app-env'
import { REFRESH_TOKEN_TTL_DAYS } from './sessions'

/** Name of the cookie that carries the refresh token. */
export const REFRESH_COOKIE = 'vitrina_refresh'
/** The only path the browser sends it to: refresh, logout (and the other auth routes, which ignore it). */
export const REFRESH_COOKIE_PATH = '/v1/auth'
/** Longer values are not ours; they are treated as absent. */
const MAX_COOKIE_LENGTH = 200

const ATTRIBUTES = { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'Strict' } as const

/** Sets the refresh cookie on the response (and `Cache-Control: no-store`, as the body carries tokens too). */
export function setRefreshCookie(c: Context<AppEnv>, refreshToken: string): void {
  setCookie(c, REFRESH_COOKIE, refreshToken, { ...ATTRIBUTES, maxAge: REFRESH_TOKEN_TTL_DAYS * 86_400 })
  c.header('Cache-Control', 'no-store')
}

/** Tells the browser to drop the refresh cookie. */
export function clearRefreshCookie(c: Context<AppEnv>): void {
  deleteCookie(c, REFRESH_COOKIE, ATTRIBUTES)
}

/** The refresh token the browser sent as a cookie, if any. */
export function readRefreshCookie(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, REFRESH_COOKIE)
  return value && value.length <= MAX_COOKIE_LENGTH ? value : undefined
}
