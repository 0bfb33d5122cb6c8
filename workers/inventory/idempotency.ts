// The `Idempotency-Key` header of stock mutations: required (400 when missing), 1–255 printable ASCII characters.
import { z } from '@hono/zod-openapi'
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../durable-objects/inventory/limits'

const key = z
  .string()
  .min(1)
  .max(MAX_IDEMPOTENCY_KEY_LENGTH)
  .regex(/^[\x20-\x7e]+$/, 'printable ASCII characters only')
  .openapi({
    param: { name: 'idempotency-key', in: 'header' },
    description: `1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters; a retry with the same key returns the first result and changes nothing`,
    example: 'order-1042-payment',
  })

/** Headers of a mutation that must be idempotent. */
export const IdempotentHeadersSchema = z.object({ 'idempotency-key': key })

/** Headers of a seed-compatible mutation: the key is optional because the seed's clients never sent one. */
export const OptionalIdempotencyHeadersSchema = z.object({ 'idempotency-key': key.optional() })
