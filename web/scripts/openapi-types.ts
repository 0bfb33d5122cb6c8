// Turns the API's OpenAPI document into the TypeScript types the admin UI's client is checked against (web/src/api/schema.ts).
// Usage: npx tsx web/scripts/openapi-types.ts http://127.0.0.1:8787 (a running stack); the e2e suite fails when the file is stale.
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** The subset of JSON Schema the API's zod schemas produce. */
interface JsonSchema {
  $ref?: string
  type?: string | string[]
  enum?: (string | number | boolean | null)[]
  const?: string | number | boolean | null
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema: JsonSchema
}

interface Operation {
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> }
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>
}

/** The parts of an OpenAPI 3.1 document the generator reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
const JSON_TYPE = 'application/json'

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name))
const indent = (text: string) => text.replaceAll('\n', '\n  ')

function primitive(type: string, schema: JsonSchema): string {
  switch (type) {
    case 'string':
      return 'string'
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'null':
      return 'null'
    case 'array':
      return `${wrap(typeOf(schema.items ?? {}))}[]`
    case 'object':
      return objectType(schema)
    default:
      return 'unknown'
  }
}

function wrap(type: string): string {
  return /^[\w$.'"[\]]+$/.test(type) || /^"[^"]*"$/.test(type) ? type : `(${type})`
}

function objectType(schema: JsonSchema): string {
  const required = new Set(schema.required ?? [])
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => `${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(property)}`)
  const extra = schema.additionalProperties
  if (extra && typeof extra === 'object') fields.push(`[key: string]: ${typeOf(extra)}`)
  if (fields.length === 0) return 'Record<string, unknown>'
  return `{\n  ${fields.map(indent).join('\n  ')}\n}`
}

function union(types: string[]): string {
  const unique = [...new Set(types)]
  return unique.length === 1 ? (unique[0] ?? 'never') : unique.map(wrap).join(' | ')
}

/** The TypeScript type of one JSON Schema. */
export function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return `Schemas[${JSON.stringify(schema.$ref.split('/').pop())}]`
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.enum) return union(schema.enum.map((value) => JSON.stringify(value)))
  if (schema.anyOf ?? schema.oneOf) return union((schema.anyOf ?? schema.oneOf ?? []).map(typeOf))
  if (schema.allOf) return schema.allOf.map((part) => wrap(typeOf(part))).join(' & ')
  if (Array.isArray(schema.type)) return union(schema.type.map((type) => primitive(type, schema)))
  if (schema.type) return primitive(schema.type, schema)
  return schema.properties ? objectType(schema) : 'unknown'
}

function parametersType(parameters: Parameter[]): string {
  const fields = parameters.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema)}`)
  return `{ ${fields.join('; ')} }`
}

function operationType(operation: Operation): string {
  const fields: string[] = []
  for (const where of ['path', 'query', 'header'] as const) {
    const parameters = (operation.parameters ?? []).filter((p) => p.in === where)
    if (parameters.length === 0) continue
    const optional = parameters.every((p) => !p.required) ? '?' : ''
    fields.push(`${where === 'header' ? 'headers' : where}${optional}: ${parametersType(parameters)}`)
  }
  const body = operation.requestBody?.content[JSON_TYPE]
  if (body) fields.push(`body${operation.requestBody?.required ? '' : '?'}: ${typeOf(body.schema)}`)
  const input = fields.length === 0 ? 'input: Record<never, never>' : `input: {\n  ${fields.map(indent).join('\n  ')}\n}`
  const ok = Object.entries(operation.responses)
    .filter(([status]) => status.startsWith('2'))
    .map(([, response]) => {
      const content = response.content
      if (!content) return 'null'
      const json = content[JSON_TYPE]
      return json ? typeOf(json.schema) : 'string'
    })
  return `{\n  ${indent(input)}\n  ok: ${indent(union(ok.length === 0 ? ['null'] : ok))}\n}`
}

/** The whole generated module for `doc`. */
export function generate(doc: OpenApiDocument): string {
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => `${key(name)}: ${typeOf(schema)}`)
  const paths = Object.entries(doc.paths).map(([path, item]) => {
    const operations = METHODS.filter((method) => item[method]).map((method) => `${method}: ${operationType(item[method] as Operation)}`)
    return `${JSON.stringify(path)}: {\n  ${operations.map(indent).join('\n  ')}\n}`
  })
  return [
    '// Generated from GET /openapi.json by web/scripts/openapi-types.ts: the API as the admin UI is type-checked against it. Do not edit.',
    '',
    '/** Named schemas of the API (components.schemas). */',
    `export interface Schemas {\n  ${schemas.map(indent).join('\n  ')}\n}`,
    '',
    '/** Every operation by path and method: what it takes (`input`) and what a 2xx answers (`ok`). */',
    `export interface Paths {\n  ${paths.map(indent).join('\n  ')}\n}`,
    '',
  ].join('\n')
}

/** Where the generated module lives. */
export const SCHEMA_FILE = fileURLToPath(new URL('../src/api/schema.ts', import.meta.url))

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base = process.argv[2] ?? 'http://127.0.0.1:8787'
  const doc = (await (await fetch(new URL('/openapi.json', base))).json()) as OpenApiDocument
  await writeFile(SCHEMA_FILE, generate(doc))
  console.log(`wrote ${SCHEMA_FILE}`)
}
