// Bad input is refused inside the object and changes nothing: wrong types, zero, negative, fractional or huge quantities, unknown SKUs.
import { describe, expect, it } from 'vitest'
import type { Inventory } from '../../durable-objects/inventory'
import { MAX_BULK_LINES, MAX_QUANTITY } from '../../durable-objects/inventory/limits'
import { freshShard, key, stock, tableRows } from './helpers'

type Call = (stub: DurableObjectStub<Inventory>) => Promise<unknown>
const line = <T extends object>(fields: T) => ({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'TEE', ...fields }] })
/** RPC accepts anything at runtime; these calls bypass the TypeScript signature on purpose. */
const raw = (input: unknown) => input as never

const invalid: [string, Call][] = [
  ['zero quantity', (s) => s.reduce(line({ quantity: 0 }))],
  ['negative quantity', (s) => s.reduce(line({ quantity: -1 }))],
  ['fractional quantity', (s) => s.reduce(line({ quantity: 1.5 }))],
  ['huge quantity', (s) => s.reduce(line({ quantity: MAX_QUANTITY + 1 }))],
  ['quantity as a string', (s) => s.reduce(raw(line({ quantity: '1' })))],
  ['NaN delta', (s) => s.adjust(line({ delta: Number.NaN }))],
  ['zero delta', (s) => s.adjust(line({ delta: 0 }))],
  ['infinite delta', (s) => s.adjust(line({ delta: Number.POSITIVE_INFINITY }))],
  ['negative on hand', (s) => s.setOnHand(line({ onHand: -5 }))],
  ['on hand beyond the maximum', (s) => s.adjust(line({ delta: MAX_QUANTITY }))],
  ['empty SKU', (s) => s.reduce({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: ' ', quantity: 1 }] })],
  ['no lines', (s) => s.reduce({ idempotencyKey: key(), actor: 'admin', lines: [] })],
  ['too many lines', (s) => s.reduce({ idempotencyKey: key(), actor: 'admin', lines: Array.from({ length: MAX_BULK_LINES + 1 }, () => ({ sku: 'TEE', quantity: 1 })) })],
  ['missing idempotency key', (s) => s.reduce(raw({ actor: 'admin', lines: [{ sku: 'TEE', quantity: 1 }] }))],
  ['unknown field', (s) => s.reduce(raw({ ...line({ quantity: 1 }), force: true }))],
  ['not an object', (s) => s.reduce(raw('TEE'))],
  ['transfer to the same location', (s) => s.transfer({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'TEE', from: 'main', to: 'main', quantity: 1 }] })],
  ['zero reservation lifetime', (s) => s.reserve({ idempotencyKey: key(), actor: 'admin', ttlSeconds: 0, lines: [{ sku: 'TEE', quantity: 1 }] })],
  ['configure with nothing to set', (s) => s.configure({ idempotencyKey: key(), actor: 'admin', sku: 'TEE' })],
  ['negative threshold', (s) => s.configure({ idempotencyKey: key(), actor: 'admin', sku: 'TEE', lowStockThreshold: -1 })],
]

const unknown: [string, Call][] = [
  ['sale', (s) => s.reduce({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'TEE', quantity: 1 }, { sku: 'GHOST', quantity: 1 }] })],
  ['adjust', (s) => s.adjust({ idempotencyKey: key(), actor: 'admin', lines: [{ sku: 'GHOST', delta: 5 }] })],
  ['reserve', (s) => s.reserve({ idempotencyKey: key(), actor: 'admin', ttlSeconds: 60, lines: [{ sku: 'GHOST', quantity: 1 }] })],
  ['configure', (s) => s.configure({ idempotencyKey: key(), actor: 'admin', sku: 'GHOST', lowStockThreshold: 3 })],
]

async function state(stub: DurableObjectStub<Inventory>) {
  return {
    levels: await tableRows(stub, 'select * from levels order by sku, location'),
    ledger: await tableRows(stub, 'select * from ledger order by id'),
    reservations: await tableRows(stub, 'select * from reservations'),
  }
}

describe('validation', () => {
  it.each(invalid)('refuses %s with invalid_request and changes nothing', async (_name, call) => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 5)
    const before = await state(stub)
    expect(await call(stub)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.any(String) } })
    expect(await state(stub)).toEqual(before)
  })

  it.each(unknown)('refuses a %s of an unregistered SKU with unknown_sku and changes nothing', async (_name, call) => {
    const { stub } = await freshShard()
    await stock(stub, 'TEE', 5)
    const before = await state(stub)
    expect(await call(stub)).toMatchObject({ ok: false, error: { code: 'unknown_sku', details: { sku: 'GHOST' } } })
    expect(await state(stub)).toEqual(before)
  })

  it('reports each invalid field', async () => {
    const { stub } = await freshShard()
    const result = await stub.reduce(raw({ idempotencyKey: '', actor: 'admin', lines: [{ sku: 'TEE', quantity: 0 }] }))
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
    const paths = !result.ok && Array.isArray(result.error.details) ? result.error.details.map((d) => d.path) : []
    expect(paths.sort()).toEqual(['idempotencyKey', 'lines.0.quantity'])
  })
})
