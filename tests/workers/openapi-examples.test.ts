// The OpenAPI document's own examples must pass its own schemas: a pattern a generated client cannot match (a regex
// flag leaking into `pattern`, say) would make that client reject every valid value.
import { SELF } from 'cloudflare:test'
import { Validator, type Schema } from '@cfworker/json-schema'
import { describe, expect, it } from 'vitest'
import { SkuSchema } from '../../workers/routes/inventory/schemas'

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Every schema in the document that carries an `example`, with where it sits. */
function schemasWithExamples(node: unknown, pointer: string, found: { pointer: string; schema: Node }[] = []) {
  if (Array.isArray(node)) node.forEach((item, index) => schemasWithExamples(item, `${pointer}/${index}`, found))
  if (!isNode(node)) return found
  if ('example' in node && ('type' in node || '$ref' in node || 'anyOf' in node || 'allOf' in node || 'oneOf' in node)) found.push({ pointer, schema: node })
  for (const [key, value] of Object.entries(node)) if (key !== 'example') schemasWithExamples(value, `${pointer}/${key}`, found)
  return found
}

describe('OpenAPI examples', () => {
  it('every example validates against the schema it illustrates (JSON Schema 2020-12, patterns as ECMA-262 with u)', async () => {
    const doc = (await (await SELF.fetch('http://vitrina.test/openapi.json')).json()) as Node
    const found = schemasWithExamples(doc, '#')
    expect(found.length).toBeGreaterThan(20)
    const failures = found.flatMap(({ pointer, schema }) => {
      // The components ride along so `#/components/...` references resolve from the example's schema.
      const validator = new Validator({ ...schema, components: doc.components } as Schema, '2020-12')
      const result = validator.validate(schema.example)
      return result.valid ? [] : [`${pointer}: ${JSON.stringify(schema.example)} — ${result.errors.map((e) => `${e.keyword} ${e.error}`).join('; ')}`]
    })
    expect(failures).toEqual([])
  })

  it('no pattern carries a regex literal\'s delimiters or flags', async () => {
    const text = await (await SELF.fetch('http://vitrina.test/openapi.json')).text()
    const patterns = [...text.matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string)
    expect(patterns.length).toBeGreaterThan(0)
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/(?<!\\)\/[dgimsuvy]*$/)
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow()
    }
  })

  it('reads SKUs the same in zod and in the document: control characters and edge spaces refused, any other text kept', async () => {
    type CheckStock = { paths: Record<string, { get: { parameters: { schema: { pattern: string } }[] } }> }
    const doc = (await (await SELF.fetch('http://vitrina.test/openapi.json')).json()) as CheckStock
    const documented = new RegExp(doc.paths['/api/external/inventory/check-stock']?.get.parameters[0]?.schema.pattern ?? 'missing', 'u')
    const cases: [string, boolean][] = [['MUG-BLUE-350', true], ['TAZA AÑO ü', true], ['é', true], [' MUG', false], ['MUG ', false], ['MU\u0007G', false], ['MUG\u0085', false], ['\u007f', false]]
    for (const [sku, accepted] of cases) {
      expect(SkuSchema.safeParse(sku).success, JSON.stringify(sku)).toBe(accepted)
      expect(documented.test(sku), JSON.stringify(sku)).toBe(accepted)
    }
  })
})
