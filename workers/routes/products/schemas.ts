// Request and response schemas of products and variants.
import { z } from '@hono/zod-openapi'
import { AttributeValuesSchema } from '../../catalog/attributes'
import { IMAGE_STATUSES, PRODUCT_STATUSES } from '../../db/schema/catalog'
import { ValidationIssueSchema } from '../../lib/openapi'

/** Largest money amount in minor units (a 32-bit integer column). */
export const MAX_MINOR_UNITS = 2_147_483_647
export const MAX_VARIANTS_PER_PRODUCT = 250

const Money = z.number().int().min(0).max(MAX_MINOR_UNITS)
export const SkuSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - /, starting with a letter or digit')
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD or MXN')
  .openapi({ example: 'MXN' })
const SlugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase words joined by dashes').max(120)

const variantFields = {
  sku: SkuSchema,
  name: z.string().trim().max(200).nullable().optional(),
  options: z.record(z.string().min(1).max(40), z.string().max(100)).optional().openapi({ example: { size: 'M', colour: 'red' } }),
  price: Money,
  compareAtPrice: Money.nullable().optional(),
  cost: Money.nullable().optional(),
  currency: CurrencySchema,
  weightGrams: z.number().int().min(0).max(10_000_000).nullable().optional(),
  barcode: z.string().trim().max(64).nullable().optional(),
  attributes: AttributeValuesSchema.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
  active: z.boolean().optional(),
}
export const VariantInputSchema = z.object(variantFields).openapi('VariantInput')
export const VariantPatchSchema = z.object(variantFields).partial().openapi('VariantPatch')

const productFields = {
  name: z.string().trim().min(1).max(200),
  slug: SlugSchema.optional(),
  description: z.string().max(20_000).nullable().optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  categoryId: z.uuid().nullable().optional(),
  brand: z.string().trim().max(100).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  seoTitle: z.string().max(200).nullable().optional(),
  seoDescription: z.string().max(500).nullable().optional(),
  attributes: AttributeValuesSchema.optional(),
}
export const ProductInputSchema = z
  .object({
    ...productFields,
    variants: z
      .array(VariantInputSchema)
      .max(MAX_VARIANTS_PER_PRODUCT)
      .refine((v) => new Set(v.map((x) => x.sku.toLowerCase())).size === v.length, 'SKUs must not repeat')
      .optional(),
  })
  .openapi('ProductInput')
export const ProductPatchSchema = z.object(productFields).partial().openapi('ProductPatch')

export const VariantSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string().nullable(),
    options: z.record(z.string(), z.string()),
    price: z.number().int(),
    compareAtPrice: z.number().int().nullable(),
    cost: z.number().int().nullable(),
    currency: z.string(),
    weightGrams: z.number().int().nullable(),
    barcode: z.string().nullable(),
    attributes: AttributeValuesSchema,
    attributeIssues: z.array(ValidationIssueSchema),
    position: z.number().int(),
    active: z.boolean(),
  })
  .openapi('Variant')

export const ImageSummarySchema = z.object({ total: z.number().int(), ready: z.number().int(), pending: z.number().int(), failed: z.number().int() })

export const ProductSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    status: z.enum(PRODUCT_STATUSES),
    categoryId: z.uuid().nullable(),
    brand: z.string().nullable(),
    tags: z.array(z.string()),
    seoTitle: z.string().nullable(),
    seoDescription: z.string().nullable(),
    attributes: AttributeValuesSchema,
    attributeIssues: z.array(ValidationIssueSchema).openapi({ description: 'Stored values that no longer satisfy the current definitions' }),
    variants: z.array(VariantSchema),
    images: ImageSummarySchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Product')

export const ProductListItemSchema = ProductSchema.extend({
  stock: z
    .object({ available: z.number().int(), onHand: z.number().int(), tracked: z.boolean().openapi({ description: 'false when none of its SKUs has a stock level yet' }) })
    .optional()
    .openapi({ description: 'With include=stock: summed over every variant and location' }),
  thumbnail: z.string().nullable().optional().openapi({ description: 'With include=thumbnail: /v1/media path of the cover image (its small thumbnail once written), null without images' }),
}).openapi('ProductListItem')

export const ImageStatusSchema = z.enum(IMAGE_STATUSES)

type ProductJson = z.output<typeof ProductSchema>

/** What a publishable key sees of a product: active variants only, no cost, no admin-only validation issues. */
export function storefrontView(product: ProductJson): ProductJson {
  return {
    ...product,
    attributeIssues: [],
    variants: product.variants.filter((v) => v.active).map((v) => ({ ...v, cost: null, attributeIssues: [] })),
  }
}
