// The notifications and webhooks pages in headless Chromium against the `npm start` stack and a local webhook
// receiver: a stock.out notification reaches the owner's bell and list, is marked read, preferences are saved; an
// endpoint is created with its secret shown once, gets a test event visible in its delivery log (filtered, retried),
// has its secret rotated and is switched off; the Spanish pages carry no untranslated text.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locale, MessageKey } from '../../web/src/i18n'
import { startFakeReceiver, type Received } from '../helpers/fake-receiver'
import { launchBrowser, openContext, screenshotBothWidths, signIn, text, VIEWPORTS } from './browser'
import { collectApiData, untranslated, visibleTexts } from './i18n-check'
import { apiCaller, registerOwner, sharedStack, type Stack } from './stack'

const owner = { email: `notify-${Date.now()}@shop.example`, password: 'correct-horse-battery', tenantName: 'Tienda Avisos' }
const SLOW = { timeout: 60_000 }

let stack: Stack
let receiver: { url: string; stop: () => Promise<void> }
let browser: Browser
let token = ''
const contexts: BrowserContext[] = []

/** Calls the API as the owner. */
const call = apiCaller(() => stack.base, () => token)

const stockCall = (path: string, body: unknown) => call(path, { body, headers: { 'idempotency-key': crypto.randomUUID() } })
const receivedBy = async (id: string) => (await (await fetch(`${receiver.url}/ctl/${id}`)).json()) as Received[]

async function pageIn(locale: Locale): Promise<Page> {
  const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale })
  contexts.push(context)
  const page = await context.newPage()
  page.on('dialog', (dialog) => void dialog.accept())
  await signIn(page, stack.base, owner.email, owner.password, locale, SLOW)
  return page
}

beforeAll(async () => {
  stack = sharedStack()
  receiver = await startFakeReceiver()
  browser = await launchBrowser()
  token = await registerOwner(stack.base, owner)
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await receiver?.stop()
})

describe('notifications and webhooks pages', () => {
  let en: Page
  const l = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'en', params)

  it('shows a stock.out notification in the bell and the list, marks it read, and saves preferences', async () => {
    expect((await call('/v1/auth/me', { method: 'PATCH', body: { locale: 'en' } })).status).toBe(200)
    expect((await stockCall('/v1/inventory/skus', { skus: [{ sku: 'MUG-1' }] })).status).toBe(200)
    expect((await stockCall('/v1/inventory/adjust', { lines: [{ sku: 'MUG-1', delta: 1 }] })).status).toBe(200)
    expect((await stockCall('/v1/inventory/reduce', { lines: [{ sku: 'MUG-1', quantity: 1 }] })).status).toBe(200)
    await expect.poll(async () => (await call<{ unreadCount: number }>('/v1/notifications')).body.unreadCount, { timeout: 60_000, interval: 1_000 }).toBe(1)

    en = await pageIn('en')
    await en.getByTestId('unread-count').filter({ hasText: '1' }).waitFor(SLOW)
    await en.getByRole('link', { name: l('notify.bell', { count: 1 }) }).click()
    await en.getByRole('heading', { name: l('nav.notifications'), level: 1 }).waitFor()
    await en.getByText('Out of stock: MUG-1').waitFor(SLOW)
    await screenshotBothWidths(en, 'notifications-en')
    await en.getByRole('button', { name: l('notify.markReadNamed', { title: 'Out of stock: MUG-1' }) }).click()
    await en.getByTestId('page-unread').filter({ hasText: l('notify.unreadCount', { count: 0 }) }).waitFor(SLOW)
    await en.getByTestId('unread-count').waitFor({ state: 'detached', ...SLOW })

    await en.getByLabel(l('notify.prefs.emailNamed', { event: l('event.stock.out') })).uncheck()
    await en.getByLabel(l('notify.prefs.inAppNamed', { event: l('event.stock.low') })).check()
    await en.getByRole('button', { name: l('notify.prefs.save') }).click()
    await en.getByRole('status').filter({ hasText: l('notify.prefs.saved') }).waitFor(SLOW)
    const prefs = (await call<{ data: { type: string; inApp: boolean; email: boolean }[] }>('/v1/notifications/preferences')).body.data
    expect(prefs.find((p) => p.type === 'stock.out')).toMatchObject({ inApp: true, email: false })
    expect(prefs.find((p) => p.type === 'stock.low')).toMatchObject({ inApp: true, email: false })
  })

  it('creates an endpoint showing its secret once, sends a test event and shows it in the delivery log', async () => {
    await en.getByRole('link', { name: l('nav.webhooks') }).click()
    await en.getByText(l('hooks.empty')).waitFor(SLOW)
    await en.getByRole('button', { name: l('hooks.add') }).click()
    const form = en.getByRole('form', { name: l('hooks.form.addTitle') })
    await form.getByLabel(l('hooks.form.url')).fill(`${receiver.url}/r/e2e`)
    await form.getByLabel(l('hooks.form.description')).fill('Warehouse system')
    await form.getByRole('button', { name: l('hooks.form.create') }).click()
    const secret = await en.getByTestId('webhook-secret').textContent(SLOW)
    expect(secret).toMatch(/^whsec_/)
    await en.getByRole('button', { name: l('hooks.secret.done') }).click()
    await en.getByTestId('webhook-secret').waitFor({ state: 'detached' })
    expect(await en.content()).not.toContain(secret ?? 'missing')

    const row = en.locator('li.webhook-row')
    await row.getByRole('button', { name: l('hooks.test') }).click()
    await row.getByRole('status').filter({ hasText: l('hooks.testSent') }).waitFor(SLOW)
    await expect.poll(async () => (await receivedBy('e2e')).length, { timeout: 30_000 }).toBe(1)
    await row.getByRole('button', { name: l('hooks.log') }).click()
    const log = row.getByRole('region', { name: l('hooks.log') }).or(row.locator('section.webhook-log'))
    await expect.poll(async () => {
      await log.getByLabel(l('hooks.log.status')).selectOption('delivered')
      return log.locator('li.log-row[data-status="delivered"]').count()
    }, { timeout: 30_000, interval: 1_000 }).toBe(1)
    await log.getByLabel(l('hooks.log.status')).selectOption('failed')
    await log.getByText(l('hooks.log.empty')).waitFor(SLOW)
    await log.getByLabel(l('hooks.log.status')).selectOption('')
    await log.getByRole('button', { name: l('hooks.log.details') }).click()
    await log.getByText(/: 200 in \d+ ms/).waitFor(SLOW)
    await log.getByRole('button', { name: l('hooks.log.retry') }).click()
    await log.getByRole('status').filter({ hasText: l('hooks.log.retried') }).waitFor(SLOW)
    await expect.poll(async () => (await receivedBy('e2e')).length, { timeout: 30_000 }).toBe(2)
    await screenshotBothWidths(en, 'webhooks-en')
  })

  it('rotates the secret (shown once) and switches the endpoint off', async () => {
    const row = en.locator('li.webhook-row')
    await row.getByRole('button', { name: l('hooks.rotate') }).click()
    expect(await en.getByTestId('webhook-secret').textContent(SLOW)).toMatch(/^whsec_/)
    await en.getByRole('button', { name: l('hooks.secret.done') }).click()
    await row.getByText(/The previous secret also signs until/).waitFor(SLOW)
    await row.getByRole('button', { name: l('hooks.edit') }).click()
    const form = en.getByRole('form', { name: l('hooks.form.editTitle') })
    await form.getByLabel(l('hooks.form.enabled')).uncheck()
    await form.getByLabel(l('hooks.form.allEvents')).uncheck()
    await form.getByLabel(/Out of stock/).check()
    await form.getByRole('button', { name: l('hooks.form.save') }).click()
    await en.locator('li.webhook-row').getByText(l('hooks.state.disabled'), { exact: true }).waitFor(SLOW)
    const [endpoint] = (await call<{ data: { enabled: boolean; eventTypes: string[] }[] }>('/v1/webhooks/endpoints')).body.data
    expect(endpoint).toMatchObject({ enabled: false, eventTypes: ['stock.out'] })
  })

  it('shows both pages in Spanish, and with no untranslated text in the pseudo-locale', async () => {
    expect((await call('/v1/auth/me', { method: 'PATCH', body: { locale: 'es-MX' } })).status).toBe(200)
    const es = await pageIn('es-MX')
    const t = (key: MessageKey) => text(key, 'es-MX')
    await es.getByRole('link', { name: t('nav.notifications'), exact: true }).click()
    await es.getByRole('heading', { name: t('nav.notifications'), level: 1 }).waitFor()
    await es.getByRole('form', { name: t('notify.prefs.title') }).waitFor(SLOW)
    await es.getByRole('link', { name: t('nav.webhooks'), exact: true }).click()
    await es.locator('li.webhook-row').getByText(t('hooks.state.disabled'), { exact: true }).waitFor(SLOW)
    await screenshotBothWidths(es, 'webhooks-es')

    expect((await call('/v1/auth/me', { method: 'PATCH', body: { locale: null } })).status).toBe(200)
    const context = await openContext(browser, { viewport: VIEWPORTS.laptop })
    contexts.push(context)
    const page = await context.newPage()
    const data = collectApiData(page)
    const q = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'qps', params)
    await page.goto(`${stack.base}/signin?locale=qps`)
    await signIn(page, stack.base, owner.email, owner.password, 'qps', SLOW)
    await page.goto(`${stack.base}/notifications`)
    await page.getByRole('form', { name: q('notify.prefs.title') }).waitFor(SLOW)
    await page.waitForTimeout(500)
    const offenders = untranslated(await visibleTexts(page), data)
    await page.goto(`${stack.base}/webhooks`)
    await page.locator('li.webhook-row').waitFor(SLOW)
    await page.locator('li.webhook-row').getByRole('button', { name: q('hooks.log') }).click()
    await page.locator('li.log-row').first().waitFor(SLOW)
    await page.waitForTimeout(500)
    offenders.push(...untranslated(await visibleTexts(page), data))
    expect(offenders).toEqual([])
  })
})
