// The variant part of the product editor: SKU, price in major units and currency per row, and under "More" the
// compare-at price, cost, barcode, weight, options (size, colour…) and variant attributes.
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { currencySymbol } from '../money'
import { AttributeInputs } from './attribute-inputs'
import { TextField } from './ui'

/** One option of a variant as typed: its name ("Talla") and value ("M"). */
export interface OptionDraft {
  key: string
  name: string
  value: string
}

/** A variant as the form holds it: amounts as typed, the stored variant when it exists. */
export interface VariantDraft {
  key: string
  stored: Schemas['Variant'] | null
  sku: string
  name: string
  price: string
  compareAtPrice: string
  cost: string
  currency: string
  barcode: string
  weightGrams: string
  options: OptionDraft[]
  attributes: Schemas['AttributeValues']
}

/** An empty option row. */
export function newOptionDraft(): OptionDraft {
  return { key: crypto.randomUUID(), name: '', value: '' }
}

/** An empty row for a new variant. */
export function newVariantDraft(currency: string): VariantDraft {
  return { key: crypto.randomUUID(), stored: null, sku: '', name: '', price: '', compareAtPrice: '', cost: '', currency, barcode: '', weightGrams: '', options: [], attributes: {} }
}

function OptionRows(props: { options: OptionDraft[]; variant: number; onChange: (options: OptionDraft[]) => void }) {
  const update = (index: number, patch: Partial<OptionDraft>) => props.onChange(props.options.map((o, i) => (i === index ? { ...o, ...patch } : o)))
  return (
    <div class="options" role="group" aria-label={t('productEditor.optionsOf', { number: props.variant })}>
      {props.options.map((option, index) => (
        <div class="option-row" key={option.key}>
          <TextField label={t('productEditor.optionName')} value={option.name} maxLength={40} placeholder={t('productEditor.optionNameExample')} onInput={(e) => update(index, { name: e.currentTarget.value })} />
          <TextField label={t('productEditor.optionValue')} value={option.value} maxLength={100} placeholder={t('productEditor.optionValueExample')} onInput={(e) => update(index, { value: e.currentTarget.value })} />
          <button type="button" class="danger-link" onClick={() => props.onChange(props.options.filter((_, i) => i !== index))}>
            {t('productEditor.removeOption')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => props.onChange([...props.options, newOptionDraft()])}>
        {t('productEditor.addOption')}
      </button>
    </div>
  )
}

/** Editable rows of variants with add and remove; `errors` are keyed like the API's (`variants.0.sku`). */
export function VariantRows(props: {
  variants: VariantDraft[]
  definitions: Schemas['AttributeDefinition'][]
  errors: Record<string, string>
  defaultCurrency: string
  onChange: (variants: VariantDraft[]) => void
}) {
  const update = (index: number, patch: Partial<VariantDraft>) => props.onChange(props.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)))
  return (
    <fieldset class="variants">
      <legend>{t('productEditor.variants')}</legend>
      {props.variants.length === 0 ? <p class="muted">{t('productEditor.noVariants')}</p> : null}
      {props.variants.map((variant, index) => {
        const error = (field: string) => props.errors[`variants.${index}.${field}`]
        const money = (label: string) => t('productEditor.amountIn', { label, currency: currencySymbol(variant.currency || props.defaultCurrency) })
        return (
          <div class="variant-row card" key={variant.key} role="group" aria-label={t('productEditor.variantNumber', { number: index + 1 })}>
            <div class="variant-fields">
              <TextField label={t('productEditor.sku')} value={variant.sku} required error={error('sku')} onInput={(e) => update(index, { sku: e.currentTarget.value })} />
              <TextField label={money(t('productEditor.price'))} inputMode="decimal" value={variant.price} required error={error('price')} onInput={(e) => update(index, { price: e.currentTarget.value })} />
              <TextField
                label={t('productEditor.currency')}
                value={variant.currency}
                maxLength={3}
                required
                error={error('currency')}
                onInput={(e) => update(index, { currency: e.currentTarget.value.toUpperCase() })}
              />
              <button type="button" class="danger-link" onClick={() => props.onChange(props.variants.filter((_, i) => i !== index))}>
                {t('productEditor.removeVariant', { number: index + 1 })}
              </button>
            </div>
            <details class="variant-more" open={Boolean(variant.stored?.compareAtPrice ?? variant.stored?.cost ?? variant.stored?.barcode)}>
              <summary>{t('productEditor.moreVariantFields')}</summary>
              <div class="variant-fields">
                <TextField label={t('productEditor.variantName')} value={variant.name} maxLength={200} error={error('name')} onInput={(e) => update(index, { name: e.currentTarget.value })} />
                <TextField
                  label={money(t('productEditor.compareAtPrice'))}
                  inputMode="decimal"
                  value={variant.compareAtPrice}
                  error={error('compareAtPrice')}
                  onInput={(e) => update(index, { compareAtPrice: e.currentTarget.value })}
                />
                <TextField label={money(t('productEditor.cost'))} inputMode="decimal" value={variant.cost} error={error('cost')} onInput={(e) => update(index, { cost: e.currentTarget.value })} />
                <TextField label={t('productEditor.barcode')} value={variant.barcode} maxLength={64} error={error('barcode')} onInput={(e) => update(index, { barcode: e.currentTarget.value })} />
                <TextField
                  label={t('productEditor.weight')}
                  type="number"
                  min={0}
                  step={1}
                  inputMode="numeric"
                  value={variant.weightGrams}
                  error={error('weightGrams')}
                  onInput={(e) => update(index, { weightGrams: e.currentTarget.value })}
                />
              </div>
              <OptionRows options={variant.options} variant={index + 1} onChange={(options) => update(index, { options })} />
            </details>
            {props.definitions.length > 0 ? (
              <AttributeInputs
                definitions={props.definitions}
                values={variant.attributes}
                errors={props.errors}
                pathPrefix={`variants.${index}.attributes`}
                onChange={(attributes) => update(index, { attributes })}
              />
            ) : null}
          </div>
        )
      })}
      <button type="button" onClick={() => props.onChange([...props.variants, newVariantDraft(props.variants.at(-1)?.currency ?? props.defaultCurrency)])}>
        {t('productEditor.addVariant')}
      </button>
    </fieldset>
  )
}
