// The AI providers page in headless Chromium against the `npm start` stack and a local fake provider (loopback is
// admitted because `npm start` runs with ENVIRONMENT=development): add providers, reorder them by dragging and by
// keyboard (and see a refused save rolled back), test them, watch a breaker open with its countdown, force one open,
// read cost per day, delete; in English and Spanish, with screenshots of both.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locale, MessageKey } from '../../web/src/i18n'
import { startFakeAi } from '../helpers/fake-ai'
import { launchBrowser, openContext, screenshotBothWidths, signIn, text, VIEWPORTS } from './browser'
import { collectApiData, untranslated, visibleTexts } from './i18n-check'
import { registerOwner, sharedStack, type Stack } from './stack'

const owner = { email: `ai-${Date.now()}@shop.example`, password: 'correct-horse-battery', tenantName: 'Relojería IA' }
const SLOW = { timeout: 60_000 }

let stack: Stack
let fake: { url: string; stop: () => Promise<void> }
let browser: Browser
let token = ''
const contexts: BrowserContext[] = []

interface ProviderJson {
  id: string
  name: string
  apiKeyLast4: string | null
  inputPricePerMTok: number
  health?: { state: string; forced: string | null; openUntil: string | null }
}

async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const body = await res.text()
  return { status: res.status, body: (body ? JSON.parse(body) : null) as T }
}

const providers = async () => (await call<{ items: ProviderJson[] }>('/v1/ai/providers')).body.items
const script = (id: string, steps: unknown[]) => fetch(`${fake.url}/ctl/${id}`, { method: 'POST', body: JSON.stringify({ steps }) })

/** A page signed in as the owner in a browser whose language is `locale`. */
async function pageIn(locale: Locale): Promise<Page> {
  const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale })
  contexts.push(context)
  const page = await context.newPage()
  await signIn(page, stack.base, owner.email, owner.password, locale, SLOW)
  return page
}

const row = (page: Page, name: string) => page.locator('li.provider-row', { has: page.locator('.provider-name', { hasText: new RegExp(`^${name}$`) }) })
const shownOrder = (page: Page) => page.locator('li.provider-row .provider-name').allTextContents()

/** Fills the add form in `locale` and saves it. */
async function addProvider(page: Page, locale: Locale, p: { name: string; baseUrl: string; model: string; apiKey: string; input: string; output: string }): Promise<void> {
  const l = (key: MessageKey) => text(key, locale)
  await page.getByRole('button', { name: l('ai.add') }).click()
  const form = page.getByRole('form', { name: l('ai.form.addTitle') })
  await form.getByLabel(l('ai.form.name')).fill(p.name)
  await form.getByLabel(l('ai.form.baseUrl')).fill(p.baseUrl)
  await form.getByLabel(l('ai.form.model')).fill(p.model)
  await form.getByLabel(l('ai.form.apiKey')).fill(p.apiKey)
  await form.getByLabel(l('ai.form.inputPrice')).fill(p.input)
  await form.getByLabel(l('ai.form.outputPrice')).fill(p.output)
  await form.getByRole('button', { name: l('ai.form.add') }).click()
  await row(page, p.name).waitFor(SLOW)
}

beforeAll(async () => {
  stack = sharedStack()
  fake = await startFakeAi()
  browser = await launchBrowser()
  token = await registerOwner(stack.base, owner)
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await fake?.stop()
})

describe('AI providers page', () => {
  let en: Page
  const l = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'en', params)

  it('starts empty, adds two providers showing only the last four characters of their keys', async () => {
    en = await pageIn('en')
    await en.getByRole('link', { name: l('nav.ai') }).click()
    await en.getByRole('heading', { name: l('nav.ai'), level: 1 }).waitFor()
    await en.getByText(l('ai.list.empty')).waitFor(SLOW)
    await en.getByText(l('ai.usage.empty')).waitFor(SLOW)
    await screenshotBothWidths(en, 'ai-providers-empty-en')

    await addProvider(en, 'en', { name: 'Primary', baseUrl: `${fake.url}/p/primary/v1`, model: 'fake-large', apiKey: 'sk-test-primary-7731', input: '2.5', output: '10' })
    await addProvider(en, 'en', { name: 'Backup', baseUrl: `${fake.url}/p/backup/v1`, model: 'fake-small', apiKey: 'sk-test-backup-4242', input: '2.5', output: '10' })
    expect(await shownOrder(en)).toEqual(['Primary', 'Backup'])
    await row(en, 'Primary').getByText(l('ai.list.keyLast4', { last4: '7731' })).waitFor()
    expect(await en.content()).not.toContain('sk-test-primary')
    const stored = await providers()
    expect(stored.map((p) => [p.name, p.apiKeyLast4, p.inputPricePerMTok])).toEqual([
      ['Primary', '7731', 2.5],
      ['Backup', '4242', 2.5],
    ])
    await row(en, 'Primary').getByTestId('breaker-state').getByText(l('ai.state.closed')).waitFor(SLOW)
  })

  it('reorders by dragging and by keyboard, and rolls a refused order back with a translated error', async () => {
    await row(en, 'Backup').locator('.drag-handle').dragTo(row(en, 'Primary'))
    await en.getByRole('status').filter({ hasText: l('ai.list.moved', { name: 'Backup', position: 1 }) }).waitFor(SLOW)
    expect(await shownOrder(en)).toEqual(['Backup', 'Primary'])
    await expect.poll(async () => (await providers()).map((p) => p.name)).toEqual(['Backup', 'Primary'])

    await en.getByRole('button', { name: l('ai.list.moveUp', { name: 'Primary' }) }).focus()
    await en.keyboard.press('Enter')
    await en.getByRole('status').filter({ hasText: l('ai.list.moved', { name: 'Primary', position: 1 }) }).waitFor(SLOW)
    await expect.poll(async () => (await providers()).map((p) => p.name)).toEqual(['Primary', 'Backup'])
    const primaryId = (await providers())[0]?.id ?? ''
    await expect.poll(() => en.evaluate(() => document.activeElement?.getAttribute('data-move') ?? '')).toBe(`${primaryId}:down`)

    await en.route('**/v1/ai/providers/order', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'service_unavailable', message: 'down for the test' } }) }),
    )
    await en.getByRole('button', { name: l('ai.list.moveUp', { name: 'Backup' }) }).click()
    await en.getByTestId('order-error').filter({ hasText: l('ai.list.orderFailed', { reason: l('error.service_unavailable') }) }).waitFor(SLOW)
    expect(await shownOrder(en)).toEqual(['Primary', 'Backup'])
    await en.unroute('**/v1/ai/providers/order')
    expect((await providers()).map((p) => p.name)).toEqual(['Primary', 'Backup'])
  })

  it('tests a provider: the latency when it answers, the provider error when it fails', async () => {
    await script('backup', [{ kind: 'error500', times: 1 }, { kind: 'ok' }])
    await en.getByRole('button', { name: l('ai.test.buttonNamed', { name: 'Primary' }) }).click()
    await expect.poll(() => row(en, 'Primary').getByTestId('test-result').textContent(), SLOW).toMatch(/^Answered in \d+ ms\.$/)
    await en.getByRole('button', { name: l('ai.test.buttonNamed', { name: 'Backup' }) }).click()
    await expect.poll(() => row(en, 'Backup').getByTestId('test-result').textContent(), SLOW).toMatch(/^Failed after \d+ ms \(HTTP 500\): the provider answered 500/)
    await screenshotBothWidths(en, 'ai-providers-en')
  })

  it('refreshes health only while the tab is visible', async () => {
    const reads: number[] = []
    en.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/v1/ai/providers') reads.push(Date.now())
    })
    await expect.poll(() => reads.length, { timeout: 15_000 }).toBeGreaterThan(0)
    await en.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await en.waitForTimeout(300)
    const hiddenAt = reads.length
    await en.waitForTimeout(9_000)
    expect(reads.length).toBe(hiddenAt)
    await en.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await expect.poll(() => reads.length, { timeout: 5_000 }).toBeGreaterThan(hiddenAt)
  })

  describe('in Spanish', () => {
    let es: Page
    const s = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'es-MX', params)

    it('shows a breaker opened by a 429 with its countdown, and the cost of the calls per day', async () => {
      await script('primary', [{ kind: 'rate429', retryAfterSeconds: 120, times: 1 }, { kind: 'ok' }])
      await script('backup', [{ kind: 'ok' }])
      const chat = await call<{ choices: unknown[] }>('/v1/ai/chat/completions', { body: { messages: [{ role: 'user', content: 'hola' }] } })
      expect(chat.status).toBe(200)
      es = await pageIn('es-MX')
      await es.goto(`${stack.base}/ai`)
      const primary = row(es, 'Primary')
      await expect.poll(() => primary.getByTestId('breaker-state').getAttribute('data-state'), SLOW).toBe('open')
      await primary.getByTestId('breaker-state').getByText(s('ai.state.open')).waitFor()
      const countdown = primary.getByTestId('countdown')
      const [first, shown] = await countdown.evaluate((el) => [Number(el.getAttribute('data-seconds')), el.textContent ?? ''] as const)
      expect(first).toBeGreaterThan(90)
      expect(first).toBeLessThanOrEqual(120)
      expect(shown).toBe(s('ai.health.halfOpenIn', { count: first }))
      await expect.poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 5_000 }).toBeLessThan(first)
      await expect.poll(() => primary.locator('.last-error').textContent()).toContain('429')

      // Usage records reach Postgres in batches within seconds; the page reads them again on load.
      await expect
        .poll(
          async () => {
            await es.reload()
            return es.getByRole('table', { name: s('ai.usage.totals') }).locator('tr', { hasText: 'Backup' }).getByTestId('usage-cost').textContent({ timeout: 10_000 })
          },
          { timeout: 60_000, interval: 2_000 },
        )
        .toContain('0.00006')
      await es.getByRole('heading', { name: s('nav.ai'), level: 1 }).waitFor()
      await screenshotBothWidths(es, 'ai-providers-es-MX')
    })

    it('forces a provider open after a confirmation, and returns it to automatic', async () => {
      const backup = row(es, 'Backup')
      let asked = ''
      es.once('dialog', (dialog) => {
        asked = dialog.message()
        void dialog.accept()
      })
      await es.getByRole('button', { name: s('ai.breaker.openNamed', { name: 'Backup' }) }).click()
      await backup.getByTestId('breaker-state').getByText(s('ai.state.forcedOpen')).waitFor(SLOW)
      expect(asked).toBe(s('ai.breaker.confirmOpen', { name: 'Backup' }))
      expect((await providers()).find((p) => p.name === 'Backup')?.health).toMatchObject({ state: 'open', forced: 'open', openUntil: null })
      await es.getByRole('status').filter({ hasText: s('ai.breaker.doneOpen', { name: 'Backup' }) }).waitFor()

      es.once('dialog', (dialog) => void dialog.accept())
      await es.getByRole('button', { name: s('ai.breaker.autoNamed', { name: 'Backup' }) }).click()
      await backup.getByTestId('breaker-state').getByText(s('ai.state.closed')).waitFor(SLOW)
      expect((await providers()).find((p) => p.name === 'Backup')?.health?.forced).toBeNull()
    })

    it('adds a provider with a price typed with a comma, refuses a non-http address in Spanish, rotates its key, and deletes one', async () => {
      await es.getByRole('button', { name: s('ai.add') }).click()
      const form = es.getByRole('form', { name: s('ai.form.addTitle') })
      await form.getByLabel(s('ai.form.name')).fill('Local')
      await form.getByLabel(s('ai.form.baseUrl')).fill('ftp://modelos.example/v1')
      await form.getByLabel(s('ai.form.model')).fill('fake-tiny')
      await form.getByLabel(s('ai.form.inputPrice')).fill('0,15')
      await form.getByRole('button', { name: s('ai.form.add') }).click()
      await form.locator('.field--invalid').filter({ hasText: s('ai.url.scheme') }).waitFor(SLOW)
      await form.getByRole('alert').filter({ hasText: s('error.invalid_field', { field: 'baseUrl', problem: s('ai.url.scheme') }) }).waitFor()
      await screenshotBothWidths(es, 'ai-providers-form-es-MX')
      await form.getByLabel(s('ai.form.baseUrl')).fill(`${fake.url}/p/local/v1`)
      await form.getByRole('button', { name: s('ai.form.add') }).click()
      await row(es, 'Local').waitFor(SLOW)
      expect(await shownOrder(es)).toEqual(['Primary', 'Backup', 'Local'])
      expect((await providers()).find((p) => p.name === 'Local')?.inputPricePerMTok).toBe(0.15)
      await row(es, 'Local').getByText(s('ai.list.noKey'), { exact: false }).waitFor()

      await es.getByRole('button', { name: s('ai.list.editNamed', { name: 'Local' }) }).click()
      const edit = es.getByRole('form', { name: s('ai.form.editTitle', { name: 'Local' }) })
      expect(await edit.getByLabel(s('ai.form.inputPrice')).inputValue()).toBe('0.15')
      await edit.getByLabel(s('ai.form.model')).fill('fake-tiny-2')
      await edit.getByLabel(s('ai.form.apiKey')).fill('sk-nueva-9090')
      await edit.getByRole('button', { name: s('ai.form.save') }).click()
      await es.getByRole('status').filter({ hasText: s('ai.saved', { name: 'Local' }) }).waitFor(SLOW)
      await row(es, 'Local').getByText(s('ai.list.keyLast4', { last4: '9090' }), { exact: false }).waitFor(SLOW)
      await row(es, 'Local').getByText(s('ai.list.meta', { kind: s('ai.kind.openai'), model: 'fake-tiny-2' })).waitFor()
      expect(await es.content()).not.toContain('sk-nueva')

      let asked = ''
      es.once('dialog', (dialog) => {
        asked = dialog.message()
        void dialog.accept()
      })
      await es.getByRole('button', { name: s('ai.list.deleteNamed', { name: 'Backup' }) }).click()
      await es.getByRole('status').filter({ hasText: s('ai.list.deleted', { name: 'Backup' }) }).waitFor(SLOW)
      expect(asked).toBe(s('ai.list.confirmDelete', { name: 'Backup' }))
      await expect.poll(() => shownOrder(es)).toEqual(['Primary', 'Local'])
      expect((await providers()).map((p) => p.name)).toEqual(['Primary', 'Local'])
    })
  })

  it('shows no untranslated text in the pseudo-locale with providers, health, history, a test result and the edit form', async () => {
    const q = (key: MessageKey, params: Record<string, string | number> = {}) => text(key, 'qps', params)
    const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale: 'en-US' })
    contexts.push(context)
    const page = await context.newPage()
    const data = collectApiData(page)
    await page.goto(`${stack.base}/signin?locale=qps`)
    await signIn(page, stack.base, owner.email, owner.password, 'qps')
    await page.goto(`${stack.base}/ai`)
    await row(page, 'Local').waitFor(SLOW)
    await page.getByRole('table', { name: q('ai.usage.totals') }).waitFor(SLOW)
    await row(page, 'Primary').locator('summary').click()
    await page.getByRole('button', { name: q('ai.test.buttonNamed', { name: 'Local' }) }).click()
    await row(page, 'Local').locator('.test-ok').waitFor(SLOW)
    await page.getByRole('button', { name: q('ai.list.editNamed', { name: 'Local' }) }).click()
    await page.getByRole('form', { name: q('ai.form.editTitle', { name: 'Local' }) }).waitFor()
    await page.waitForTimeout(500)
    const offenders = untranslated(await visibleTexts(page), data)
    await page.getByRole('button', { name: q('ai.add') }).click()
    await page.getByRole('form', { name: q('ai.form.addTitle') }).getByRole('button', { name: q('ai.form.add') }).click()
    await page.locator('.field-error').first().waitFor(SLOW)
    await page.waitForTimeout(500)
    offenders.push(...untranslated(await visibleTexts(page), data))
    expect(offenders).toEqual([])
  })

  it('shows half-open once the pause is over while the trial call is pending', async () => {
    await script('local', [{ kind: 'rate429', retryAfterSeconds: 2, times: 1 }, { kind: 'hang' }])
    expect((await call('/v1/ai/chat/completions', { body: { messages: [{ role: 'user', content: 'hola' }] } })).status).toBe(503)
    const local = row(en, 'Local')
    await en.reload()
    await expect.poll(() => local.getByTestId('breaker-state').getAttribute('data-state'), SLOW).toBe('half_open')
    await local.getByTestId('breaker-state').getByText(l('ai.state.half_open')).waitFor()
    await local.getByText(l('ai.health.halfOpenHint')).waitFor()
  })

  it('is not offered to members, and tells them their role does not allow it', async () => {
    const member = { email: `ai-member-${Date.now()}@shop.example`, password: 'member-horse-battery' }
    const invitation = await call<{ url: string }>('/v1/members/invitations', { body: { email: member.email, role: 'member' } })
    const invitationToken = decodeURIComponent(new URL(invitation.body.url).pathname.split('/').at(-1) ?? '')
    const accepted = await fetch(`${stack.base}/v1/invitations/${encodeURIComponent(invitationToken)}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: member.password }),
    })
    expect(accepted.status).toBeLessThan(300)
    const context = await openContext(browser, { viewport: VIEWPORTS.laptop, locale: 'en-US' })
    contexts.push(context)
    const page = await context.newPage()
    await signIn(page, stack.base, member.email, member.password, 'en')
    expect(await page.getByRole('navigation').getByRole('link', { name: l('nav.ai') }).count()).toBe(0)
    await page.goto(`${stack.base}/ai`)
    await page.getByRole('alert').filter({ hasText: l('error.forbidden') }).waitFor(SLOW)
  })
})
