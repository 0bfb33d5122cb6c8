// The variant part of the product editor: SKU, price in major units, currency and variant attributes per row.
import type { Schemas } from '../api/schema'
import { t } from '../i18n'
import { currencySymbol, currentShopCurrency, toMajorText } from '../money'
import { AttributeInputs } from './attribute-inputs'
import { TextField } from './ui'

/** A variant as the form holds it: the price as typed, the stored variant when it exists. */
export interface VariantDraft {
  key: string
  stored: Schemas['Variant'] | null
  sku: string
  price: string
  currency: string
  attributes: Schemas['AttributeValues']
}

/** An empty row for a new variant. */
export function newVariantDraft(currency = currentShopCurrency()): VariantDraft {
  return { key: crypto.randomUUID(), stored: null, sku: '', price: '', currency, attributes: {} }
}

/** Editable rows of variants with add and remove; `errors` are keyed like the API's (`variants.0.sku`). */
export function VariantRows(props: {
  variants: VariantDraft[]
  definitions: Schemas['AttributeDefinition'][]
  errors: Record<string, string>
  onChange: (variants: VariantDraft[]) => void
}) {
  const update = (index: number, patch: Partial<VariantDraft>) => props.onChange(props.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)))
  return (
    <fieldset class="variants">
      <legend>{t('variants.title')}</legend>
      {props.variants.length === 0 ? <p class="muted">{t('variants.empty')}</p> : null}
      {props.variants.map((variant, index) => (
        <div class="variant-row card" key={variant.key} role="group" aria-label={t('variants.group', { number: index + 1 })}>
          <div class="variant-fields">
            <TextField label={t('variants.sku')} value={variant.sku} required error={props.errors[`variants.${index}.sku`]} onInput={(e) => update(index, { sku: e.currentTarget.value })} />
            <TextField
              label={t('variants.price', { symbol: currencySymbol(variant.currency || currentShopCurrency()) })}
              inputMode="decimal"
              placeholder={toMajorText(0, variant.currency || currentShopCurrency())}
              value={variant.price}
              required
              error={props.errors[`variants.${index}.price`]}
              onInput={(e) => update(index, { price: e.currentTarget.value })}
            />
            <TextField
              label={t('variants.currency')}
              value={variant.currency}
              maxLength={3}
              required
              error={props.errors[`variants.${index}.currency`]}
              onInput={(e) => update(index, { currency: e.currentTarget.value.toUpperCase() })}
            />
            <button type="button" class="danger-link" onClick={() => props.onChange(props.variants.filter((_, i) => i !== index))}>
              {t('variants.remove', { number: index + 1 })}
            </button>
          </div>
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
      ))}
      <button type="button" onClick={() => props.onChange([...props.variants, newVariantDraft(props.variants.at(-1)?.currency)])}>
        {t('variants.add')}
      </button>
    </fieldset>
  )
}
