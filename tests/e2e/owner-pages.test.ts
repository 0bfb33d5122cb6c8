// Frictions 2, 3 and 4 of the shop-owner trial, fixed, in headless Chromium against the `npm start` stack: the product
// list (thumbnails, stock, bulk actions, CSV import with its dry-run report and progress, export), the product editor
// (every field, images before the first save, the save state) and the inventory page (names, filters, stats,
// thresholds, transfer, reason, ledger by email, alerts with the current level); screenshots in English and Spanish.
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openContext, screenshotBothWidths, VIEWPORTS } from './browser'
import { apiCaller, registerOwner, sharedStack, type Stack } from './stack'

const owner = { email: `pages-${Date.now()}@shop.example`, password: 'correct-horse-battery', tenantName: 'Relojería Centro' }
const LANGUAGES = ['en', 'es-MX'] as const
type Language = (typeof LANGUAGES)[number]

let stack: Stack
let browser: Browser
let token = ''
const contexts = new Map<Language, { context: BrowserContext; page: Page }>()

interface ProductJson {
  id: string
  name: string
  status: string
  categoryId: string | null
  brand: string | null
  tags: string[]
  seoTitle: string | null
  seoDescription: string | null
  variants: { sku: string; price: number; compareAtPrice: number | null; cost: number | null; barcode: string | null; weightGrams: number | null; options: Record<string, string> }[]
}

/** Calls the API as the owner. */
const call = apiCaller(() => stack.base, () => token)

const stockCall = (path: string, body: unknown) => call(path, { body, headers: { 'idempotency-key': crypto.randomUUID() } })

async function product(name: string, skus: string[], categoryId: string | null = null): Promise<string> {
  const answer = await call<{ id: string }>('/v1/products', { body: { name, status: 'active', categoryId, variants: skus.map((sku, i) => ({ sku, name: `Talla ${i + 1}`, price: 129950 + i * 100, currency: 'MXN' })) } })
  expect(answer.status).toBe(201)
  await stockCall('/v1/inventory/skus', { skus: skus.map((sku) => ({ sku })) })
  return answer.body.id
}

/** A page signed in as the owner in a browser whose language is `language`. */
async function pageIn(language: Language): Promise<Page> {
  const existing = contexts.get(language)
  if (existing) return existing.page
  const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale: language, acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(`${stack.base}/signin`)
  await page.locator('input[type=email]').fill(owner.email)
  await page.locator('input[type=password]').fill(owner.password)
  await page.locator('form button[type=submit]').click()
  await page.locator('.topbar').getByText(owner.tenantName).waitFor()
  contexts.set(language, { context, page })
  return page
}

const png = (colour: string) => sharp({ create: { width: 40, height: 40, channels: 3, background: colour } }).png().toBuffer()

/** Pages of a stack on a shared 2-core machine answer in seconds, not milliseconds. */
const SLOW = { timeout: 60_000 }

let categoryId = ''
let watchId = ''

beforeAll(async () => {
  stack = sharedStack()
  browser = await launchBrowser()
  token = await registerOwner(stack.base, owner)
  categoryId = (await call<{ id: string }>('/v1/categories', { body: { name: 'Relojes' } })).body.id
  watchId = await product('Reloj Alpino', ['ALP-38', 'ALP-42'], categoryId)
  await product('Correa de piel', ['CORREA-1'])
  await product('Estuche viajero', ['ESTUCHE-1'])
  await stockCall('/v1/inventory/adjust', { lines: [{ sku: 'ALP-38', delta: 5 }, { sku: 'ALP-42', delta: 2 }, { sku: 'CORREA-1', delta: 9 }] })
  const form = new FormData()
  form.append('file', new File([await png('#1f618d')], 'alpino.png', { type: 'image/png' }))
  expect((await fetch(`${stack.base}/v1/products/${watchId}/images`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).status).toBe(201)
})

afterAll(async () => {
  for (const { context } of contexts.values()) await context.close()
  await browser?.close()
})

describe('product list (friction 2)', () => {
  it('shows thumbnails, stock and MX$ prices in both languages', async () => {
    for (const language of LANGUAGES) {
      const page = await pageIn(language)
      await page.goto(`${stack.base}/products`)
      const row = page.locator(`tr[data-product-id="${watchId}"]`)
      await expect.poll(() => page.evaluate(`document.querySelector('tr[data-product-id="${watchId}"] .list-thumb img')?.naturalWidth ?? 0`), { timeout: 15_000 }).toBeGreaterThan(0)
      await expect.poll(async () => {
        await page.reload()
        return row.getByTestId('stock').textContent({ timeout: 20_000 })
      }, { timeout: 90_000, interval: 1_000 }).toBe('7')
      expect(await row.textContent()).toContain('MX$1,299.50')
      await page.locator('h1', { hasText: language === 'en' ? 'Products' : 'Productos' }).waitFor()
      await screenshotBothWidths(page, `owner-products-${language}`)
    }
  })

  it('archives, sets the category of and deletes the selected products', async () => {
    const page = await pageIn('en')
    await page.goto(`${stack.base}/products`)
    await page.getByLabel('Select Correa de piel').check()
    await page.getByLabel('Select Estuche viajero').check()
    await page.getByText('2 products selected').waitFor()
    await page.getByRole('button', { name: 'Archive', exact: true }).click()
    await page.getByText('2 products updated.').waitFor()
    const list = await call<{ data: ProductJson[] }>('/v1/products?status=archived')
    expect(list.body.data.map((p) => p.name).sort()).toEqual(['Correa de piel', 'Estuche viajero'])

    await page.getByLabel('Select Correa de piel').check()
    await page.getByLabel('Category for the selection').selectOption({ label: 'Relojes' })
    await page.getByRole('button', { name: 'Set category' }).click()
    await page.getByText('1 product updated.').waitFor()
    expect((await call<{ data: ProductJson[] }>(`/v1/products?categoryId=${categoryId}`)).body.data).toHaveLength(2)

    await page.getByLabel('Select Estuche viajero').check()
    let asked = ''
    page.once('dialog', (dialog) => {
      asked = dialog.message()
      void dialog.accept()
    })
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByText('1 product deleted.').waitFor()
    expect(asked).toBe('Delete 1 product for good, with its variants and images?')
    expect((await call<{ data: ProductJson[] }>('/v1/products?q=Estuche')).body.data).toEqual([])
  })

  it('imports a CSV after a dry-run report per row, follows its progress, and exports the catalog', async () => {
    const page = await pageIn('es-MX')
    await page.goto(`${stack.base}/products`)
    await page.getByText('Importar y exportar (CSV)').click()
    const csv = ['sku,product_name,price,currency', 'IMP-1,Reloj importado,150000,MXN', 'IMP-2,Reloj importado,155000,MXN', 'IMP-3,Pulsera,caro,MXN'].join('\n')
    await page.getByLabel('Elegir un archivo CSV para importar').setInputFiles({ name: 'catalogo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByText('Revisión de 3 filas').waitFor()
    const errors = page.getByRole('table', { name: 'Filas con errores' })
    await expect.poll(() => errors.locator('tbody tr').first().textContent(), SLOW).toContain('4')
    expect(await errors.textContent()).toContain('price')
    expect((await call<{ data: ProductJson[] }>('/v1/products?q=importado')).body.data).toEqual([])
    await screenshotBothWidths(page, 'owner-products-import-es-MX')

    await page.getByRole('button', { name: 'Importar 2 filas válidas' }).click()
    await page.getByText('Importación terminada').waitFor({ timeout: 30_000 })
    await page.getByRole('progressbar', { name: 'Progreso de la importación' }).waitFor()
    const imported = (await call<{ data: ProductJson[] }>('/v1/products?q=importado')).body.data
    expect(imported.map((p) => p.variants.map((v) => v.sku).sort())).toEqual([['IMP-1', 'IMP-2']])

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Exportar CSV' }).click()
    const file = await (await download).path()
    const exported = await readFile(file, 'utf8')
    expect(exported.split('\n')[0]).toContain('sku')
    expect(exported).toContain('IMP-2')
    expect(exported).toContain('ALP-38')
  })
})

describe('product editor (friction 3)', () => {
  it('adds an image before the first save, edits every field and shows the save state', async () => {
    for (const language of LANGUAGES) {
      const page = await pageIn(language)
      await page.goto(`${stack.base}/products/new`)
      await screenshotBothWidths(page, `owner-editor-new-${language}`)
    }
    const page = await pageIn('en')
    await page.goto(`${stack.base}/products/new`)
    await page.getByLabel('Name', { exact: true }).fill('Reloj Costa')
    await page.getByLabel('Add images').setInputFiles({ name: 'costa.png', mimeType: 'image/png', buffer: await png('#b03a2e') })
    await page.getByRole('heading', { name: 'Edit Reloj Costa' }).waitFor()
    await expect.poll(() => page.locator('.image-card').count(), { timeout: 15_000 }).toBe(1)
    const id = new URL(page.url()).pathname.split('/').at(-1) ?? ''
    expect((await call<ProductJson>(`/v1/products/${id}`)).body).toMatchObject({ name: 'Reloj Costa', status: 'draft' })
    await expect.poll(() => page.getByTestId('save-state').textContent(), SLOW).toBe('Saved')

    await page.getByLabel('Brand').fill('Costa')
    await expect.poll(() => page.getByTestId('save-state').textContent(), SLOW).toBe('Unsaved changes')
    await page.getByLabel('Tags').fill('acero, buceo, acero')
    await page.getByLabel('SEO title').fill('Reloj Costa de acero')
    await page.getByLabel('SEO description').fill('Reloj de buceo de acero, 200 m')
    await page.getByRole('button', { name: 'Add variant' }).click()
    await page.getByLabel('SKU').fill('COSTA-40')
    await page.getByLabel('Price (MX$)').fill('3,499.00')
    await page.getByText('More: compare-at amount').click()
    await page.getByLabel('Compare-at amount (MX$)').fill('3,999.00')
    await page.getByLabel('Cost (MX$)').fill('abc')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => page.getByTestId('save-state').textContent(), SLOW).toBe('Not saved: see the errors below')
    await page.getByLabel('Cost (MX$)').fill('1,800.50')
    await page.getByLabel('Barcode').fill('7501234567890')
    await page.getByLabel('Weight (g)').fill('155')
    await page.getByRole('button', { name: 'Add option' }).click()
    await page.getByLabel('Option', { exact: true }).fill('Tamaño')
    await page.getByLabel('Value', { exact: true }).fill('40 mm')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => page.getByTestId('save-state').textContent(), SLOW).toBe('Saved')
    await screenshotBothWidths(page, 'owner-editor-saved-en')

    const stored = (await call<ProductJson>(`/v1/products/${id}`)).body
    expect(stored).toMatchObject({ brand: 'Costa', tags: ['acero', 'buceo'], seoTitle: 'Reloj Costa de acero', seoDescription: 'Reloj de buceo de acero, 200 m' })
    expect(stored.variants).toEqual([
      expect.objectContaining({ sku: 'COSTA-40', price: 349900, compareAtPrice: 399900, cost: 180050, barcode: '7501234567890', weightGrams: 155, options: { Tamaño: '40 mm' } }),
    ])
    const spanish = await pageIn('es-MX')
    await spanish.goto(`${stack.base}/products/${id}`)
    await spanish.getByRole('heading', { name: 'Editar Reloj Costa' }).waitFor()
    await expect.poll(() => spanish.getByLabel('Precio (en MX$)').inputValue()).toBe('3,499.00')
    await screenshotBothWidths(spanish, 'owner-editor-saved-es-MX')
  })
})

describe('inventory page (friction 4)', () => {
  it('names products, filters, sums, edits thresholds, transfers, records a reason and shows people by email', async () => {
    const page = await pageIn('en')
    await page.goto(`${stack.base}/inventory`)
    const row = (sku: string, location = 'main') => page.locator(`tr[data-sku="${sku}"][data-location="${location}"]`)
    await expect.poll(() => row('ALP-38').textContent(), SLOW).toContain('Reloj Alpino · Talla 1')

    await page.getByLabel('Filter by product, SKU or location').fill('alpino')
    await expect.poll(() => page.locator('tbody tr[data-sku]').count(), SLOW).toBe(2)
    await expect.poll(() => page.getByTestId('stat-total').textContent(), SLOW).toBe('2')
    expect(await page.getByTestId('stat-available').textContent()).toBe('7')
    await page.getByLabel('Filter by product, SKU or location').fill('')
    await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Relojes' })
    await expect.poll(() => page.locator('tbody tr[data-sku]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sku')).sort()), SLOW).toEqual(['ALP-38', 'ALP-42', 'CORREA-1'])
    await page.getByLabel('Category', { exact: true }).selectOption('')

    await page.getByLabel('Low-stock threshold of ALP-38').fill('6')
    await page.getByLabel('Low-stock threshold of ALP-38').press('Enter')
    await expect.poll(async () => (await call<{ data: { lowStockThreshold: number | null }[] }>('/v1/inventory?sku=ALP-38')).body.data[0]?.lowStockThreshold, SLOW).toBe(6)
    await expect.poll(() => row('ALP-38').textContent(), SLOW).toContain('Low')
    await page.getByLabel('Select ALP-42').check()
    await page.getByLabel('Select CORREA-1').check()
    await page.getByLabel('Low-stock threshold for the selection').fill('3')
    await page.getByRole('button', { name: 'Apply threshold' }).click()
    await page.getByText('Threshold set on 2 levels.').waitFor()
    for (const sku of ['ALP-42', 'CORREA-1']) expect((await call<{ data: { lowStockThreshold: number | null }[] }>(`/v1/inventory?sku=${sku}`)).body.data[0]?.lowStockThreshold).toBe(3)

    await page.getByText('Transfer between locations').click()
    await page.getByLabel('SKU to transfer').fill('CORREA-1')
    await page.getByLabel('To location').fill('tienda')
    await page.getByLabel('Quantity').fill('4')
    await page.getByRole('button', { name: 'Transfer', exact: true }).click()
    await page.getByText('Moved 4 units of CORREA-1 from main to tienda.').waitFor()
    await expect.poll(() => row('CORREA-1', 'tienda').getByTestId('available').textContent(), SLOW).toBe('4')
    expect(await row('CORREA-1').getByTestId('available').textContent()).toBe('5')

    await page.getByLabel('Reason for changes').fill('conteo de fin de mes')
    await page.getByRole('button', { name: 'Remove one ALP-42' }).click()
    await expect.poll(() => row('ALP-42').getByTestId('available').textContent(), SLOW).toBe('1')
    await expect.poll(() => page.locator('.alert-list li').filter({ hasText: 'ALP-42' }).getByTestId('alert-now').textContent(), { timeout: 20_000 }).toBe('Now 1 available')
    await screenshotBothWidths(page, 'owner-inventory-en')

    await page.getByRole('button', { name: 'Ledger of ALP-42' }).click()
    const newest = page.locator('.ledger li').first()
    await expect.poll(() => newest.textContent(), SLOW).toContain('conteo de fin de mes')
    expect(await newest.textContent()).toContain(owner.email)
    expect(await page.locator('.ledger').textContent()).not.toContain('user:')
    await page.keyboard.press('Escape')

    const spanish = await pageIn('es-MX')
    await spanish.goto(`${stack.base}/inventory`)
    await spanish.getByText('Unidades disponibles').waitFor()
    await expect.poll(() => spanish.locator('tr[data-sku="ALP-42"][data-location="main"]').textContent(), SLOW).toContain('Reloj Alpino')
    await screenshotBothWidths(spanish, 'owner-inventory-es-MX')
  })
})
