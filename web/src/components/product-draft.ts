// The product editor's form state and its conversion to the API's bodies: amounts typed in the person's format become
// minor units, tags a list, options a record; a field that cannot be converted becomes an issue keyed like the API's.
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { toMajorText, toMinorUnits } from '../money'
import { newVariantDraft, type VariantDraft } from './variant-rows'

type Product = Schemas['Product']
export type Status = Product['status']

/** The whole form. */
export interface Draft {
  name: string
  status: Status
  categoryId: string
  description: string
  brand: string
  tags: string
  seoTitle: string
  seoDescription: string
  attributes: Schemas['AttributeValues']
  variants: VariantDraft[]
}

const amountText = (minor: number | null, currency: string) => (minor === null ? '' : toMajorText(minor, currency))

/** The form for `product`, or an empty one in `currency` for a new product. */
export function draftOf(product: Product | null, currency: string): Draft {
  if (!product) {
    return { name: '', status: 'draft', categoryId: '', description: '', brand: '', tags: '', seoTitle: '', seoDescription: '', attributes: {}, variants: [newVariantDraft(currency)] }
  }
  return {
    name: product.name,
    status: product.status,
    categoryId: product.categoryId ?? '',
    description: product.description ?? '',
    brand: product.brand ?? '',
    tags: product.tags.join(', '),
    seoTitle: product.seoTitle ?? '',
    seoDescription: product.seoDescription ?? '',
    attributes: product.attributes,
    variants: product.variants.map((v) => ({
      key: v.id,
      stored: v,
      sku: v.sku,
      name: v.name ?? '',
      price: toMajorText(v.price, v.currency),
      compareAtPrice: amountText(v.compareAtPrice, v.currency),
      cost: amountText(v.cost, v.currency),
      currency: v.currency,
      barcode: v.barcode ?? '',
      weightGrams: v.weightGrams === null ? '' : String(v.weightGrams),
      options: Object.entries(v.options).map(([name, value]) => ({ key: `${v.id}-${name}`, name, value })),
      attributes: v.attributes,
    })),
  }
}

/** The product's own fields as PATCH and POST take them. */
export function productFields(draft: Draft) {
  return {
    name: draft.name,
    status: draft.status,
    categoryId: draft.categoryId || null,
    description: draft.description || null,
    brand: draft.brand.trim() || null,
    tags: [...new Set(draft.tags.split(',').map((tag) => tag.trim()).filter(Boolean))],
    seoTitle: draft.seoTitle.trim() || null,
    seoDescription: draft.seoDescription.trim() || null,
    attributes: draft.attributes,
  }
}

export type VariantBody = Schemas['VariantInput']

/** Every variant as the API takes it, and issues (keyed `variants.N.field`) for amounts that are not amounts. */
export function variantBodies(variants: VariantDraft[]): { bodies: VariantBody[]; issues: Record<string, string> } {
  const issues: Record<string, string> = {}
  const bodies = variants.map((v, i): VariantBody => {
    const amount = (field: 'price' | 'compareAtPrice' | 'cost', optional: boolean): number | null => {
      const text = v[field].trim()
      if (optional && text === '') return null
      const minor = toMinorUnits(text, v.currency || 'MXN')
      if (minor === null) issues[`variants.${i}.${field}`] = t('productEditor.amountInvalid')
      return minor
    }
    const weight = v.weightGrams.trim() === '' ? null : Number(v.weightGrams)
    if (weight !== null && (!Number.isInteger(weight) || weight < 0)) issues[`variants.${i}.weightGrams`] = t('productEditor.weightInvalid')
    const options = Object.fromEntries(v.options.filter((o) => o.name.trim() !== '').map((o) => [o.name.trim(), o.value.trim()]))
    return {
      sku: v.sku.trim(),
      name: v.name.trim() || null,
      price: amount('price', false) ?? 0,
      compareAtPrice: amount('compareAtPrice', true),
      cost: amount('cost', true),
      currency: v.currency,
      barcode: v.barcode.trim() || null,
      weightGrams: weight !== null && Number.isInteger(weight) && weight >= 0 ? weight : null,
      options,
      attributes: v.attributes,
    }
  })
  return { bodies, issues }
}

/** Whether a stored variant differs from what the form would send. */
export function variantChanged(stored: Schemas['Variant'], body: VariantBody): boolean {
  const current = {
    sku: stored.sku,
    name: stored.name,
    price: stored.price,
    compareAtPrice: stored.compareAtPrice,
    cost: stored.cost,
    currency: stored.currency,
    barcode: stored.barcode,
    weightGrams: stored.weightGrams,
    options: stored.options,
    attributes: stored.attributes,
  }
  return JSON.stringify(current) !== JSON.stringify(body)
}
