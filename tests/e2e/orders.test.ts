// The orders admin UI in headless Chromium against the shared stack: a point-of-sale sale by SKU paid in cash with
// change (a double click sells once) and its stock going down; an order from a checkout (cart and checkout through the
// API) paid, fulfilled and refunded with restock from the order page, its stock back; screenshots in English and Spanish.
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MessageKey } from '../../web/src/i18n'
import { launchBrowser, openContext, SCREENSHOT_DIR, screenshotBothWidths, signIn, text, VIEWPORTS } from './browser'
import { apiCaller, registerOwner, sharedStack, type Stack } from './stack'

const owner = { email: `orders-${Date.now()}@shop.example`, password: 'correct-horse-battery', tenantName: 'Relojería Orden' }
let stack: Stack
let browser: Browser
let token = ''
const contexts: BrowserContext[] = []

/** Pages of a stack on a shared 2-core machine answer in seconds, not milliseconds. */
const SLOW = { timeout: 60_000 }

interface OrderJson {
  id: string
  number: number
  channel: string
  paymentStatus: string
  fulfillmentStatus: string
  paidAmount: number
  refundedAmount: number
  totals: { total: number }
}

/** Calls the API as the owner. */
const call = apiCaller(() => stack.base, () => token)

const keyed = (path: string, body: unknown) => call(path, { body, headers: { 'idempotency-key': crypto.randomUUID() } })

/** Stock on hand of `sku` at the main location, as the API reports it. */
async function onHand(sku: string): Promise<number | undefined> {
  const answer = await call<{ data: { sku: string; location: string; onHand: number }[] }>(`/v1/inventory?sku=${encodeURIComponent(sku)}`)
  return answer.body.data.find((level) => level.sku === sku && level.location === 'main')?.onHand
}

/** A page signed in as the owner in a browser whose language is `locale`; confirmations are accepted. */
async function pageIn(locale: 'en' | 'es-MX'): Promise<Page> {
  const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale, acceptDownloads: true })
  contexts.push(context)
  const page = await context.newPage()
  page.on('dialog', (dialog) => void dialog.accept())
  await signIn(page, stack.base, owner.email, owner.password, locale)
  return page
}

beforeAll(async () => {
  stack = sharedStack()
  browser = await launchBrowser()
  token = await registerOwner(stack.base, owner)
  const created = await call('/v1/products', {
    body: {
      name: 'Reloj Alpino',
      status: 'active',
      variants: [
        { sku: 'POS-ALP', name: 'Acero', price: 129950, currency: 'MXN' },
        { sku: 'WEB-ALP', name: 'Oro', price: 250000, currency: 'MXN' },
      ],
    },
  })
  expect(created.status).toBe(201)
  expect((await keyed('/v1/inventory/skus', { skus: [{ sku: 'POS-ALP' }, { sku: 'WEB-ALP' }] })).status).toBeLessThan(300)
  expect((await keyed('/v1/inventory/adjust', { lines: [{ sku: 'POS-ALP', delta: 5 }, { sku: 'WEB-ALP', delta: 4 }] })).status).toBe(200)
}, 60_000)

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
})

describe('point of sale', () => {
  it('sells by SKU for cash, shows the change and a receipt, sells once on a double click and takes the stock', async () => {
    const page = await pageIn('en')
    const l = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'en', params)
    await page.getByRole('link', { name: l('nav.pos') }).click()
    await page.getByRole('heading', { name: l('nav.pos'), level: 1 }).waitFor()
    await page.getByText(l('pos.empty')).waitFor()
    await page.getByLabel(l('pos.quantity'), { exact: true }).fill('2')
    await page.getByLabel(l('pos.sku')).fill('POS-ALP')
    await page.getByLabel(l('pos.sku')).press('Enter')
    await page.locator('tr[data-sku="POS-ALP"]').waitFor(SLOW)
    expect(await page.getByTestId('pos-total').textContent()).toBe('MX$2,599.00')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('id') ?? '')).toBe(await page.getByLabel(l('pos.sku')).getAttribute('id'))

    await page.getByLabel(l('pos.tendered', { currency: 'MXN' })).fill('3,000')
    expect(await page.getByTestId('pos-change').textContent()).toBe(l('pos.changeDue', { amount: 'MX$401.00' }))
    await screenshotBothWidths(page, 'orders-pos-en')
    await page.getByRole('button', { name: l('pos.charge', { amount: 'MX$2,599.00' }) }).dblclick()
    await page.getByRole('article', { name: l('pos.receipt') }).waitFor(SLOW)
    expect(await page.getByTestId('receipt-change').textContent()).toBe('MX$401.00')
    expect(await page.getByTestId('receipt-total').textContent()).toBe('MX$2,599.00')
    await screenshotBothWidths(page, 'orders-pos-receipt-en')
    await page.emulateMedia({ media: 'print' })
    await page.screenshot({ path: `${SCREENSHOT_DIR}orders-pos-receipt-print.png`, fullPage: true })
    expect(await page.locator('.sidenav').isVisible()).toBe(false)
    await page.emulateMedia({ media: 'screen' })

    const sales = await call<{ data: OrderJson[] }>('/v1/orders')
    expect(sales.body.data.filter((order) => order.channel === 'pos')).toHaveLength(1)
    expect(sales.body.data[0]).toMatchObject({ paymentStatus: 'paid', paidAmount: 259900 })
    await expect.poll(() => onHand('POS-ALP'), { timeout: 30_000, interval: 500 }).toBe(3)

    await page.getByRole('button', { name: l('pos.newSale') }).click()
    await page.getByText(l('pos.empty')).waitFor()
  }, 180_000)

  it('shows the sale being rung up in Spanish', async () => {
    const page = await pageIn('es-MX')
    const l = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'es-MX', params)
    await page.goto(`${stack.base}/pos`)
    await page.getByLabel(l('pos.sku')).fill('POS-ALP')
    await page.getByLabel(l('pos.sku')).press('Enter')
    await page.locator('tr[data-sku="POS-ALP"]').waitFor(SLOW)
    await page.getByLabel(l('pos.tendered', { currency: 'MXN' })).fill('1,500')
    await expect.poll(() => page.getByTestId('pos-change').textContent()).toBe(l('pos.changeDue', { amount: 'MX$200.50' }))
    await screenshotBothWidths(page, 'orders-pos-es-MX')
  }, 120_000)
})

describe('an order from checkout', () => {
  it('is paid, fulfilled and refunded with restock from its page, and its stock comes back', async () => {
    const cart = await call<{ id: string }>('/v1/carts', { body: { currency: 'MXN' } })
    expect(cart.status).toBe(201)
    expect((await call(`/v1/carts/${cart.body.id}/items`, { body: { sku: 'WEB-ALP', quantity: 2 } })).status).toBe(200)
    const address = { name: 'Ana López', line1: 'Av. Reforma 222', city: 'Ciudad de México', postalCode: '06600', country: 'MX' }
    const checkout = await call<OrderJson>(`/v1/carts/${cart.body.id}/checkout`, {
      body: { email: 'ana@cliente.example', shippingAddress: address },
      headers: { 'idempotency-key': crypto.randomUUID() },
    })
    expect(checkout.status).toBe(201)
    const order = checkout.body

    const page = await pageIn('en')
    const l = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'en', params)
    await page.getByRole('link', { name: l('nav.orders') }).click()
    const link = page.getByRole('link', { name: `#${order.number}`, exact: true })
    await link.waitFor(SLOW)
    await screenshotBothWidths(page, 'orders-list-en')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: l('orders.export') }).click()
    const csv = await download
    expect(csv.suggestedFilename()).toBe('orders.csv')
    const path = await csv.path()
    expect(path && (await readFile(path, 'utf8'))).toContain(String(order.number))
    await page.getByLabel(l('orders.filter.payment')).selectOption('pending')
    await expect.poll(() => page.locator('.order-table tbody tr').count(), SLOW).toBe(1)
    await page.getByRole('link', { name: `#${order.number}`, exact: true }).waitFor(SLOW)
    await page.getByRole('link', { name: `#${order.number}`, exact: true }).click()
    await page.getByRole('heading', { name: l('order.title', { number: `#${order.number}` }) }).waitFor(SLOW)

    await page.getByRole('button', { name: l('orderActions.recordPayment') }).click()
    const payment = page.getByRole('form', { name: l('orderActions.recordPayment') })
    expect(await payment.getByLabel(l('orderActions.amount', { currency: 'MXN' })).inputValue()).toBe('5,000.00')
    await payment.getByRole('button', { name: l('orderActions.savePayment') }).click()
    await page.getByText(l('orderActions.paid', { amount: 'MX$5,000.00' })).waitFor(SLOW)
    await expect.poll(() => onHand('WEB-ALP'), { timeout: 30_000, interval: 500 }).toBe(2)

    await page.getByRole('button', { name: l('orderActions.fulfil') }).click()
    const fulfil = page.getByRole('form', { name: l('orderActions.fulfil') })
    await fulfil.getByRole('button', { name: l('orderActions.allRemaining') }).click()
    await fulfil.getByLabel(l('orderActions.carrier')).fill('DHL')
    await fulfil.getByLabel(l('orderActions.trackingNumber')).fill('JD0001234')
    await fulfil.getByRole('button', { name: l('orderActions.saveFulfil') }).click()
    await page.getByText(l('orderActions.fulfilled', { count: 2 })).waitFor(SLOW)

    await page.getByRole('button', { name: l('orderActions.refund') }).click()
    const refund = page.getByRole('form', { name: l('orderActions.refund') })
    expect(await refund.getByLabel(l('orderActions.amount', { currency: 'MXN' })).inputValue()).toBe('5,000.00')
    await refund.locator('input[data-line="WEB-ALP"]').fill('2')
    expect(await refund.getByLabel(l('orderActions.restock')).isChecked()).toBe(true)
    await refund.getByRole('button', { name: l('orderActions.saveRefund') }).click()
    await page.getByText(l('orderActions.refunded', { amount: 'MX$5,000.00' })).waitFor(SLOW)
    await page.getByText(l('orders.timeline.refund')).first().waitFor()
    await screenshotBothWidths(page, 'orders-detail-en')

    const after = await call<OrderJson>(`/v1/orders/${order.id}`)
    expect(after.body).toMatchObject({ paymentStatus: 'refunded', fulfillmentStatus: 'fulfilled', refundedAmount: 500000 })
    await expect.poll(() => onHand('WEB-ALP'), { timeout: 30_000, interval: 500 }).toBe(4)

    const es = await pageIn('es-MX')
    await es.goto(`${stack.base}/orders/${order.id}`)
    await es.getByRole('heading', { name: text('order.title', 'es-MX', { number: `#${order.number}` }) }).waitFor(SLOW)
    await screenshotBothWidths(es, 'orders-detail-es-MX')
    await es.goto(`${stack.base}/orders`)
    await es.getByRole('link', { name: `#${order.number}`, exact: true }).waitFor(SLOW)
    await screenshotBothWidths(es, 'orders-list-es-MX')
  }, 240_000)
})
