// The typed API client: every call is checked against the generated OpenAPI types, sends the access token, and on a 401
// refreshes the session once and retries.
import { ApiError } from './errors'
import type { Paths, Schemas } from './schema'
import { currentAccessToken, refreshAccessToken } from './session'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type PathWith<M extends Method> = { [P in keyof Paths]: M extends keyof Paths[P] ? P : never }[keyof Paths]
type Operation<P extends keyof Paths, M extends Method> = Paths[P][M & keyof Paths[P]]
type InputOf<O> = O extends { input: infer I } ? I : never
type OkOf<O> = O extends { ok: infer R } ? R : never
type InputArgs<I> = Record<never, never> extends I ? [input?: I] : [input: I]

interface RequestInput {
  path?: Record<string, string>
  query?: Record<string, string | number | boolean | null | undefined | string[]>
  headers?: Record<string, string>
  body?: unknown
}

function buildUrl(template: string, input: RequestInput): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.path?.[name] ?? ''))
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value === undefined || value === null || value === '') continue
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item))
  }
  const query = search.toString()
  return query ? `${path}?${query}` : path
}

async function send(method: Method, url: string, input: RequestInput, token: string | null): Promise<Response> {
  const headers = new Headers(input.headers)
  if (token) headers.set('authorization', `Bearer ${token}`)
  if (input.body !== undefined) headers.set('content-type', 'application/json')
  const init: RequestInit = { method: method.toUpperCase(), headers }
  if (input.body !== undefined) init.body = JSON.stringify(input.body)
  try {
    return await fetch(url, init)
  } catch {
    throw new ApiError(0, { code: 'network', message: 'The API cannot be reached; check the connection and try again' })
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as Schemas['Error'] | null
  return new ApiError(res.status, body?.error ?? { code: 'http_error', message: `The API answered ${res.status}` })
}

async function call(method: Method, template: string, input: RequestInput = {}): Promise<unknown> {
  const url = buildUrl(template, input)
  let res = await send(method, url, input, currentAccessToken())
  if (res.status === 401 && !template.startsWith('/v1/auth/')) {
    const token = await refreshAccessToken()
    if (token) res = await send(method, url, input, token)
  }
  if (!res.ok) throw await errorOf(res)
  if (res.status === 204) return null
  const type = res.headers.get('content-type') ?? ''
  return type.includes('json') ? res.json() : res.text()
}

function method<M extends Method>(name: M) {
  return <P extends PathWith<M>>(path: P, ...args: InputArgs<InputOf<Operation<P, M>>>): Promise<OkOf<Operation<P, M>>> =>
    call(name, path, args[0] as RequestInput | undefined) as Promise<OkOf<Operation<P, M>>>
}

/** `api.get('/v1/products', { query })`, `api.post(...)`: typed by path and method; rejects with ApiError on non-2xx. */
export const api = {
  get: method('get'),
  post: method('post'),
  put: method('put'),
  patch: method('patch'),
  delete: method('delete'),
}

/** A fresh Idempotency-Key for one user action (one click = one key, so a retried request never applies twice). */
export function idempotencyKey(): string {
  return `ui-${crypto.randomUUID()}`
}
