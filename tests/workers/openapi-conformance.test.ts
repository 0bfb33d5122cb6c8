// Every operation in /openapi.json is called with bad input (no credential, a read-only key, ids that do not exist, a
// malformed, empty or mistyped body, the wrong media type) and may answer only the statuses its entry declares, each
// error with a body its declared schema (and so its list of error codes) accepts, and never a 500.
import { SELF } from 'cloudflare:test'
import { Validator, type Schema } from '@cfworker/json-schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { BASE, createKey, signUp, type Account } from './helpers'

type Node = Record<string, unknown>
interface Operation {
  operationId?: string
  security?: Record<string, string[]>[]
  parameters?: { in: string; name: string; required?: boolean }[]
  requestBody?: { content?: Record<string, unknown> }
  responses: Record<string, { content?: Record<string, { schema?: Node }> }>
}
interface Doc {
  paths: Record<string, Record<string, Operation>>
  components: Node
}
interface Call {
  label: string
  path: string
  init: RequestInit
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch']
const MISSING_ID = '00000000-0000-4000-8000-000000000000'
/** Operations that end the caller's session: called last, so the rest run signed in. */
const SESSION_ENDING = /^\/v1\/auth\/(logout|refresh)/

let doc: Doc
let owner: Account
let fullKey: string
let readKey: string

beforeAll(async () => {
  doc = (await (await SELF.fetch(`${BASE}/openapi.json`)).json()) as Doc
  owner = await signUp()
  fullKey = (await createKey(owner, ['read', 'write', 'admin'])).key
  readKey = (await createKey(owner, ['read'])).key
})

function credentialFor(op: Operation, which: 'owner' | 'read'): Record<string, string> {
  const schemes = new Set((op.security ?? []).flatMap((s) => Object.keys(s)))
  if (which === 'read') return schemes.has('apiKey') ? { 'x-api-key': readKey } : {}
  if (schemes.has('bearerAuth')) return { authorization: `Bearer ${owner.accessToken}` }
  if (schemes.has('apiKey')) return { 'x-api-key': fullKey }
  return {}
}

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value)

/** The bad calls made against one operation. */
function callsFor(path: string, method: string, op: Operation): Call[] {
  const secured = (op.security ?? []).some((s) => Object.keys(s).length > 0)
  const owned = credentialFor(op, 'owner')
  const target = fill(path, MISSING_ID)
  const upper = method.toUpperCase()
  const calls: Call[] = []
  if (secured) {
    calls.push({ label: 'no credential', path: target, init: { method: upper } })
    calls.push({ label: 'a revoked-looking key', path: target, init: { method: upper, headers: { 'x-api-key': 'vk_live_unknownunknownunknownunknownunknown00' } } })
    if (Object.keys(credentialFor(op, 'read')).length > 0) calls.push({ label: 'a read-only key', path: target, init: { method: upper, headers: credentialFor(op, 'read') } })
  }
  if (path.includes('{')) calls.push({ label: 'an id that is not one', path: fill(path, 'not-an-id'), init: { method: upper, headers: owned } })
  const json = op.requestBody?.content?.['application/json']
  if (op.requestBody) {
    calls.push({ label: 'the wrong media type', path: target, init: { method: upper, headers: { ...owned, 'content-type': 'text/plain' }, body: 'hello' } })
  }
  if (json) {
    const bodies: [string, string][] = [['malformed JSON', '{"a":'], ['an empty object', '{}'], ['an array', '[]'], ['mistyped fields', '{"name":1,"lines":"x","quantity":"many","url":false}']]
    for (const [label, body] of bodies) {
      calls.push({ label, path: target, init: { method: upper, headers: { ...owned, 'content-type': 'application/json' }, body } })
    }
  } else if (!op.requestBody) {
    calls.push({ label: 'a missing resource', path: target, init: { method: upper, headers: owned } })
  }
  return calls
}

interface Finding {
  operation: string
  call: string
  status: number
  problem: string
}

async function check(path: string, method: string, op: Operation): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const call of callsFor(path, method, op)) {
    const res = await SELF.fetch(`${BASE}${call.path}`, { ...call.init, headers: { 'cf-connecting-ip': '198.18.7.7', ...(call.init.headers as Record<string, string>) } })
    const text = await res.text()
    const where = { operation: `${method.toUpperCase()} ${path}`, call: call.label, status: res.status }
    const declared = op.responses[String(res.status)] ?? op.responses.default
    if (res.status >= 500 && res.status !== 503) findings.push({ ...where, problem: `a server error: ${text.slice(0, 200)}` })
    else if (!declared) findings.push({ ...where, problem: `not declared (declares ${Object.keys(op.responses).join(', ')}): ${text.slice(0, 200)}` })
    else if (res.status >= 400) {
      const schema = declared.content?.['application/json']?.schema
      if (!schema) findings.push({ ...where, problem: 'declared without a body schema' })
      else {
        const result = new Validator({ ...schema, components: doc.components } as Schema, '2020-12').validate(JSON.parse(text))
        if (!result.valid) findings.push({ ...where, problem: `body outside its schema: ${text.slice(0, 200)} — ${result.errors.map((e) => e.error).join('; ')}` })
      }
    }
  }
  return findings
}

describe('OpenAPI conformance', () => {
  it('every operation answers bad input only with statuses and error codes its entry declares', async () => {
    const operations = Object.entries(doc.paths)
      .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Operation })))
      .sort((a, b) => Number(SESSION_ENDING.test(a.path)) - Number(SESSION_ENDING.test(b.path)))
    expect(operations.length).toBeGreaterThan(100)
    const findings: Finding[] = []
    for (const { path, method, op } of operations) findings.push(...(await check(path, method, op)))
    expect(findings).toEqual([])
  }, 120_000)
})
