// zod/OpenAPI schemas of the inventory routes: strict input (bad input is a 400 and changes nothing) and the JSON answered.
import { z } from '@hono/zod-openapi'
import { MAX_BULK_LINES, MAX_QUANTITY, MAX_RESERVATION_TTL_SECONDS, MIN_RESERVATION_TTL_SECONDS } from '../../../durable-objects/inventory/limits'

/** Longest SKU and location code the API accepts. */
export const MAX_CODE_LENGTH = 64

export const SkuSchema = z
  .string()
  .min(1)
  .max(MAX_CODE_LENGTH)
  // Control characters (Unicode Cc) spelled as ranges: a regex without flags reads the same in zod and in the
  // document's `pattern`, which carries no flags.
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\s\x00-\x1f\x7f-\x9f](?:[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f])?$/, 'no control characters, no leading or trailing spaces')
  .openapi({ example: 'MUG-BLUE-350' })
export const LocationSchema = z
  .string()
  .min(1)
  .max(MAX_CODE_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
  .openapi({ example: 'main' })
const Quantity = z.int().min(1).max(MAX_QUANTITY).openapi({ description: `1–${MAX_QUANTITY}` })
const StockFigure = z.int().min(0).max(MAX_QUANTITY)
const Reason = z.string().trim().min(1).max(200)
const lines = <T extends z.ZodType>(line: T) => z.array(line).min(1).max(MAX_BULK_LINES)

export const SkuParamSchema = z.object({ sku: SkuSchema.openapi({ param: { name: 'sku', in: 'path' } }) })

export const LevelSchema = z
  .object({
    sku: z.string(),
    location: z.string(),
    onHand: z.int(),
    reserved: z.int(),
    available: z.int(),
    lowStockThreshold: z.int().nullable(),
    allowBackorder: z.boolean(),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('StockLevel')

export const LabelledLevelSchema = LevelSchema.extend({
  product: z
    .object({ productId: z.uuid(), productName: z.string(), variantName: z.string().nullable(), options: z.record(z.string(), z.string()), categoryId: z.uuid().nullable() })
    .nullable()
    .optional()
    .openapi({ description: 'With include=product: the catalog entry of the SKU, null when no variant has it' }),
}).openapi('LabelledStockLevel')

export const MutationResultSchema = z
  .object({ levels: z.array(LevelSchema), replayed: z.boolean().openapi({ description: 'true when this answers a retry of an earlier call' }) })
  .openapi('StockMutation')

export const AdjustSchema = z
  .strictObject({
    reason: Reason.optional(),
    lines: lines(
      z.strictObject({
        sku: SkuSchema,
        location: LocationSchema.optional(),
        delta: z.int().min(-MAX_QUANTITY).max(MAX_QUANTITY).refine((delta) => delta !== 0, 'delta must not be 0'),
      }),
    ),
  })
  .openapi('StockAdjust')

export const SetSchema = z
  .strictObject({
    reason: Reason.optional(),
    lines: lines(z.strictObject({ sku: SkuSchema, location: LocationSchema.optional(), onHand: StockFigure, expected: StockFigure.optional() })),
  })
  .openapi('StockSet')

export const ReduceLineSchema = z.strictObject({ sku: SkuSchema, location: LocationSchema.optional(), quantity: Quantity })
export const ReduceSchema = z.strictObject({ reason: Reason.optional(), lines: lines(ReduceLineSchema) }).openapi('StockReduce')

export const TransferSchema = z
  .strictObject({
    lines: lines(
      z
        .strictObject({ sku: SkuSchema, from: LocationSchema.optional(), to: LocationSchema, quantity: Quantity })
        .refine((line) => (line.from ?? 'main') !== line.to, 'from and to must differ'),
    ),
  })
  .openapi('StockTransfer')

export const BulkCheckSchema = z.strictObject({ skus: lines(SkuSchema), location: LocationSchema.optional() }).openapi('StockBulkCheck')

export const ReserveSchema = z
  .strictObject({ ttlSeconds: z.int().min(MIN_RESERVATION_TTL_SECONDS).max(MAX_RESERVATION_TTL_SECONDS), lines: lines(ReduceLineSchema) })
  .openapi('ReservationCreate')

export const ReservationSchema = z
  .object({
    id: z.string(),
    status: z.enum(['held', 'committed', 'released', 'expired']),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    lines: z.array(z.object({ sku: z.string(), location: z.string(), quantity: z.int() })),
  })
  .openapi('Reservation')

export const ReservationParamSchema = z.object({ id: z.string().max(100).openapi({ param: { name: 'id', in: 'path' }, example: 'rsv_0_2b0c…' }) })

export const RegisterSchema = z
  .strictObject({
    skus: lines(
      z.strictObject({ sku: SkuSchema, location: LocationSchema.optional(), lowStockThreshold: StockFigure.nullable().optional(), allowBackorder: z.boolean().optional() }),
    ),
  })
  .openapi('StockRegister')

export const ConfigureSchema = z
  .strictObject({ location: LocationSchema.optional(), lowStockThreshold: StockFigure.nullable().optional(), allowBackorder: z.boolean().optional() })
  .refine((input) => input.lowStockThreshold !== undefined || input.allowBackorder !== undefined, 'set lowStockThreshold or allowBackorder')
  .openapi('StockConfigure')

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const

export const AlertSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    location: z.string(),
    status: z.enum(ALERT_STATUSES),
    threshold: z.int(),
    available: z.int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
  })
  .openapi('StockAlert')

export const AlertParamSchema = z.object({ id: z.string().max(40).openapi({ param: { name: 'id', in: 'path' }, example: 'alt_0_12' }) })

export const LedgerEntrySchema = z
  .object({
    id: z.int(),
    sku: z.string(),
    location: z.string(),
    delta: z.int(),
    reservedDelta: z.int(),
    reason: z.string(),
    actor: z.string().openapi({ description: 'user:<id>, key:<id> or system:<job>' }),
    actorLabel: z.string().nullable().openapi({ description: "The member's email for user:<id>, the key's name for key:<id>; null when not one of this tenant's" }),
    idempotencyKey: z.string().nullable(),
    reservationId: z.string().nullable(),
    onHand: z.int(),
    available: z.int(),
    at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('StockLedgerEntry')
