// Runtime validation of every RPC input: the object trusts nothing that crosses the RPC boundary, so bad input changes nothing.
import { z } from 'zod'
import { DEFAULT_LOCATION, DEFAULT_PAGE_SIZE, MAX_BULK_LINES, MAX_PAGE_SIZE, MAX_QUANTITY, MAX_RESERVATION_TTL_SECONDS, MAX_STORED_IDEMPOTENCY_KEY_LENGTH, MAX_TEXT_LENGTH, MIN_RESERVATION_TTL_SECONDS } from './limits'
import { failure, type InventoryError } from './results'

const text = z.string().trim().min(1).max(MAX_TEXT_LENGTH)
const sku = text
const location = text.default(DEFAULT_LOCATION)
const quantity = z.int().min(1).max(MAX_QUANTITY)
const stockFigure = z.int().min(0).max(MAX_QUANTITY)
const threshold = stockFigure.nullable()
const lines = <T extends z.ZodType>(line: T) => z.array(line).min(1).max(MAX_BULK_LINES)
const mutation = { idempotencyKey: z.string().trim().min(1).max(MAX_STORED_IDEMPOTENCY_KEY_LENGTH), actor: text }
const stockMutation = { ...mutation, reason: text.optional() }
const page = { cursor: z.string().max(MAX_TEXT_LENGTH * 4).optional(), limit: z.int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE) }

export const registerInput = z.strictObject({
  ...mutation,
  skus: lines(z.strictObject({ sku, location, lowStockThreshold: threshold.optional(), allowBackorder: z.boolean().optional() })),
})

export const configureInput = z
  .strictObject({ ...mutation, sku, location, lowStockThreshold: threshold.optional(), allowBackorder: z.boolean().optional() })
  .refine((input) => input.lowStockThreshold !== undefined || input.allowBackorder !== undefined, 'set lowStockThreshold or allowBackorder')

export const adjustInput = z.strictObject({
  ...stockMutation,
  lines: lines(z.strictObject({ sku, location, delta: z.int().min(-MAX_QUANTITY).max(MAX_QUANTITY).refine((delta) => delta !== 0, 'delta must not be 0') })),
})

export const setInput = z.strictObject({
  ...stockMutation,
  lines: lines(z.strictObject({ sku, location, onHand: stockFigure, expected: stockFigure.optional() })),
})

export const reduceInput = z.strictObject({ ...stockMutation, lines: lines(z.strictObject({ sku, location, quantity })) })

export const transferInput = z.strictObject({
  ...mutation,
  lines: lines(
    z.strictObject({ sku, from: location, to: text, quantity }).refine((line) => line.from !== line.to, 'from and to must differ'),
  ),
})

export const reserveInput = z.strictObject({
  ...mutation,
  ttlSeconds: z.int().min(MIN_RESERVATION_TTL_SECONDS).max(MAX_RESERVATION_TTL_SECONDS),
  lines: lines(z.strictObject({ sku, location, quantity })),
})

export const reservationIdInput = text

export const resizeInput = z.strictObject({
  ...mutation,
  reservationId: text,
  quantity,
  ttlSeconds: z.int().min(MIN_RESERVATION_TTL_SECONDS).max(MAX_RESERVATION_TTL_SECONDS),
})

export const reservationInput = z.strictObject({ ...mutation, reservationId: reservationIdInput, reason: text.optional() })

export const checkInput = z.strictObject({ skus: lines(sku), location })

export const levelsInput = z.strictObject({ skus: lines(sku), location: text.optional() })

export const listLevelsInput = z.strictObject({ location: text.optional(), ...page })

export const historyInput = z.strictObject({ sku, location: text.optional(), ...page })

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const
export type AlertStatus = (typeof ALERT_STATUSES)[number]

export const listAlertsInput = z.strictObject({ status: z.enum(ALERT_STATUSES).optional(), ...page })

export const alertActionInput = z.strictObject({ alertId: z.int().min(1), actor: text })

export type RegisterInput = z.input<typeof registerInput>
export type ConfigureInput = z.input<typeof configureInput>
export type AdjustInput = z.input<typeof adjustInput>
export type SetInput = z.input<typeof setInput>
export type ReduceInput = z.input<typeof reduceInput>
export type TransferInput = z.input<typeof transferInput>
export type ReserveInput = z.input<typeof reserveInput>
export type ReservationInput = z.input<typeof reservationInput>
export type ResizeInput = z.input<typeof resizeInput>
export type CheckInput = z.input<typeof checkInput>
export type LevelsInput = z.input<typeof levelsInput>
export type ListLevelsInput = z.input<typeof listLevelsInput>
export type HistoryInput = z.input<typeof historyInput>
export type ListAlertsInput = z.input<typeof listAlertsInput>
export type AlertActionInput = z.input<typeof alertActionInput>

/** Parses `input` with `schema`, answering `invalid_request` with one issue per field on failure. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): { ok: true; value: z.output<S> } | { ok: false; error: InventoryError } {
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, value: parsed.data }
  const details = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
  return failure('invalid_request', 'the request is not valid', details)
}
