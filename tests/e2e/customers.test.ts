// The customers and active carts pages in headless Chromium against the shared stack: create a customer with an
// address in Spanish, find it by search, edit it, see its active cart counting down on /carts, and delete it
// (anonymised, orders kept) in English; screenshots of each step.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locale, MessageKey } from '../../web/src/i18n'
import { launchBrowser, openContext, screenshotBothWidths, signIn, text, VIEWPORTS } from './browser'
import { apiCaller, registerOwner, sharedStack, type Stack } from './stack'

const owner = { email: `customers-${Date.now()}@shop.example`, password: 'correct-horse-battery', tenantName: 'Relojería Clientes' }
const SLOW = { timeout: 60_000 }
const customerEmail = `lucia-${Date.now()}@cliente.example`

let stack: Stack
let browser: Browser
let token = ''
const contexts: BrowserContext[] = []

/** Calls the API as the owner. */
const call = apiCaller(() => stack.base, () => token)

/** A page signed in as the owner in a browser whose language is `locale`. */
async function pageIn(locale: Locale): Promise<Page> {
  const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale })
  contexts.push(context)
  const page = await context.newPage()
  await signIn(page, stack.base, owner.email, owner.password, locale, SLOW)
  return page
}

/** A product with one active variant of `sku` and `onHand` units at the main location. */
async function stocked(sku: string, onHand: number): Promise<void> {
  const product = await call('/v1/products', { body: { name: 'Reloj Cronógrafo', status: 'active', variants: [{ sku, price: 250_000, currency: 'MXN', options: {} }] } })
  expect(product.status, JSON.stringify(product.body)).toBe(201)
  const adjusted = await call('/v1/inventory/adjust', { body: { lines: [{ sku, location: 'main', delta: onHand }] }, headers: { 'idempotency-key': crypto.randomUUID() } })
  expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(200)
}

beforeAll(async () => {
  stack = sharedStack()
  browser = await launchBrowser()
  token = await registerOwner(stack.base, owner)
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
})

describe('customers and active carts pages', () => {
  it('creates, finds and edits a customer in Spanish, shows its cart counting down, and deletes it in English', async () => {
    const es = await pageIn('es-MX')
    const l = (key: MessageKey) => text(key, 'es-MX')
    await es.getByRole('link', { name: l('nav.customers') }).click()
    await es.getByRole('heading', { name: l('customers.title'), exact: true }).waitFor(SLOW)
    await es.getByText(l('customers.empty')).waitFor(SLOW)
    await screenshotBothWidths(es, 'customers-empty-es-MX')

    await es.getByRole('link', { name: l('customers.new') }).click()
    await es.getByLabel(l('customers.email'), { exact: true }).fill(customerEmail)
    await es.getByLabel(l('customers.firstName'), { exact: true }).fill('Lucía')
    await es.getByLabel(l('customers.lastName'), { exact: true }).fill('Hernández')
    await es.getByLabel(l('customers.type'), { exact: true }).selectOption('business')
    await es.getByLabel(l('customers.tags'), { exact: true }).fill('vip, mayoreo')
    await es.getByLabel(l('customers.address.name'), { exact: true }).fill('Lucía Hernández')
    await es.getByLabel(l('customers.address.line1'), { exact: true }).fill('Av. Reforma 222')
    await es.getByLabel(l('customers.address.city'), { exact: true }).fill('Ciudad de México')
    await es.getByLabel(l('customers.address.postalCode'), { exact: true }).fill('06600')
    await screenshotBothWidths(es, 'customers-new-es-MX')
    await es.getByRole('button', { name: l('customers.create') }).click()
    await es.getByRole('heading', { name: 'Lucía Hernández', exact: true }).waitFor(SLOW)
    await es.locator('li[data-address-id]', { hasText: 'Av. Reforma 222' }).getByText(l('customers.address.default')).waitFor()

    await es.getByRole('link', { name: `← ${l('customers.back')}` }).click()
    await es.getByLabel(l('customers.search')).fill('hernán')
    await es.getByRole('button', { name: l('customers.filter') }).click()
    const row = es.locator('tr[data-customer-id]', { hasText: customerEmail })
    await row.waitFor(SLOW)
    await expect.poll(() => es.locator('tr[data-customer-id]').count()).toBe(1)
    await screenshotBothWidths(es, 'customers-list-es-MX')
    await es.getByLabel(l('customers.search')).fill('nadie-coincide')
    await es.getByRole('button', { name: l('customers.filter') }).click()
    await es.getByText(l('customers.noMatch')).waitFor(SLOW)
    await es.getByLabel(l('customers.search')).fill('')
    await es.getByLabel(l('customers.tag')).fill('vip')
    await es.getByRole('button', { name: l('customers.filter') }).click()
    await row.getByRole('link').click()

    await es.getByLabel(l('customers.company'), { exact: true }).fill('Relojes Hernández SA')
    await es.getByRole('button', { name: l('customers.save'), exact: true }).click()
    await es.getByText(l('customers.saved')).waitFor(SLOW)
    // The page reloads the customer after a save; the confirmation and the saved value must survive that reload.
    await es.waitForLoadState('networkidle')
    expect(await es.getByText(l('customers.saved')).isVisible()).toBe(true)
    expect(await es.getByLabel(l('customers.company'), { exact: true }).inputValue()).toBe('Relojes Hernández SA')
    await es.getByRole('button', { name: l('customers.addAddress') }).click()
    const form = es.locator('form', { has: es.getByRole('button', { name: l('customers.address.save') }) })
    await form.getByLabel(l('customers.address.kind')).selectOption('billing')
    await form.getByLabel(l('customers.address.name'), { exact: true }).fill('Relojes Hernández SA')
    await form.getByLabel(l('customers.address.line1'), { exact: true }).fill('Insurgentes Sur 1000')
    await form.getByLabel(l('customers.address.city'), { exact: true }).fill('Ciudad de México')
    await form.getByLabel(l('customers.address.postalCode'), { exact: true }).fill('03100')
    await form.getByRole('button', { name: l('customers.address.save') }).click()
    const billing = es.locator('li[data-address-id]', { hasText: 'Insurgentes Sur 1000' })
    await billing.getByText(l('customers.address.default')).waitFor(SLOW)
    await billing.getByRole('button', { name: l('customers.address.edit') }).click()
    await es.getByLabel(l('customers.address.line2'), { exact: true }).fill('Piso 3')
    await es.getByRole('button', { name: l('customers.address.save') }).click()
    await es.locator('li[data-address-id]', { hasText: 'Piso 3' }).waitFor(SLOW)
    await es.getByText(l('customers.noOrders')).waitFor(SLOW)
    await screenshotBothWidths(es, 'customers-detail-es-MX')
    const customerId = new URL(es.url()).pathname.split('/').at(-1) ?? ''

    const sku = `RELOJ-${Date.now()}`
    await stocked(sku, 5)
    const cart = await call<{ id: string }>('/v1/carts', { body: { currency: 'MXN', customerId } })
    expect(cart.status, JSON.stringify(cart.body)).toBe(201)
    expect((await call(`/v1/carts/${cart.body.id}/items`, { body: { sku, quantity: 2 } })).status).toBe(200)
    await es.getByRole('link', { name: l('nav.carts') }).click()
    const cartRow = es.locator(`tr[data-cart-id="${cart.body.id}"]`)
    await cartRow.waitFor(SLOW)
    await expect.poll(() => cartRow.textContent()).toContain('Lucía Hernández')
    expect(await cartRow.locator('td').nth(2).textContent()).toBe('2')
    const first = await cartRow.getByTestId('time-left').textContent()
    expect(first).toMatch(/^\d+:\d{2}$/)
    await expect.poll(() => cartRow.getByTestId('time-left').textContent(), { timeout: 5_000 }).not.toBe(first)
    await screenshotBothWidths(es, 'carts-es-MX')

    const en = await pageIn('en')
    await en.goto(`${stack.base}/customers/${customerId}`)
    await en.getByRole('heading', { name: 'Lucía Hernández', exact: true }).waitFor(SLOW)
    let confirmation = ''
    en.once('dialog', (dialog) => {
      confirmation = dialog.message()
      void dialog.accept()
    })
    await en.getByRole('button', { name: text('customers.delete') }).click()
    await en.getByText(text('customers.deleted', 'en', { email: customerEmail })).waitFor(SLOW)
    expect(confirmation).toBe(text('customers.confirmDelete', 'en', { email: customerEmail }))
    await screenshotBothWidths(en, 'customers-deleted-en')
    await en.getByRole('link', { name: `← ${text('customers.back')}` }).click()
    await en.getByText(text('customers.empty')).waitFor(SLOW)
    const anonymised = await call<{ error: { code: string } }>(`/v1/customers/${customerId}`)
    expect(anonymised.status).toBe(404)
    await en.goto(`${stack.base}/carts`)
    await en.getByRole('heading', { name: text('carts.title'), exact: true }).waitFor(SLOW)
    await en.locator(`tr[data-cart-id="${cart.body.id}"]`).waitFor(SLOW)
    await screenshotBothWidths(en, 'carts-en')
  }, 240_000)
})
