// The admin UI in Spanish and English in headless Chromium against the `npm start` stack: every page in both languages
// with a screenshot each, the untranslated-string check in the pseudo-locale, switching language in place, and the
// frictions fixed for a Spanish-speaking owner (prices, attribute keys, API keys, categories).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ACCOUNT } from '../../scripts/db/seed'
import type { Locale } from '../../web/src/i18n'
import { launchBrowser, openContext, SCREENSHOT_DIR, signIn, text, VIEWPORTS } from './browser'
import { collectApiData, untranslated, visibleTexts } from './i18n-check'
import { sharedStack, type Stack } from './stack'

let stack: Stack
let browser: Browser
let token: string
let productId: string

async function apiCall<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${stack.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return (await res.json()) as T
}

/** The pages of the admin UI, each with a heading that shows it has rendered. */
function pages(locale: Locale) {
  return [
    { name: 'dashboard', path: '/', heading: text('nav.dashboard', locale) },
    { name: 'products', path: '/products', heading: text('nav.products', locale) },
    { name: 'product-new', path: '/products/new', heading: text('productEditor.newTitle', locale) },
    { name: 'product-edit', path: `/products/${productId}`, heading: null },
    { name: 'search', path: '/search', heading: text('nav.search', locale) },
    { name: 'categories', path: '/categories', heading: text('nav.categories', locale) },
    { name: 'attributes', path: '/attributes', heading: text('nav.attributes', locale) },
    { name: 'inventory', path: '/inventory', heading: text('nav.inventory', locale) },
    { name: 'orders', path: '/orders', heading: text('nav.orders', locale) },
    { name: 'pos', path: '/pos', heading: text('nav.pos', locale) },
    { name: 'keys', path: '/keys', heading: text('keys.title', locale) },
    { name: 'members', path: '/members', heading: text('nav.members', locale) },
    { name: 'usage', path: '/usage', heading: text('nav.usage', locale) },
    { name: 'ai-providers', path: '/ai', heading: text('nav.ai', locale) },
    { name: 'billing', path: '/billing', heading: text('nav.billing', locale) },
    { name: 'payments', path: '/settings/payments', heading: text('nav.payments', locale) },
    { name: 'customers', path: '/customers', heading: text('customers.title', locale) },
    { name: 'customer-new', path: '/customers/new', heading: text('customers.new', locale) },
    { name: 'carts', path: '/carts', heading: text('carts.title', locale) },
    { name: 'not-found', path: '/no-such-page', heading: text('app.notFound', locale) },
  ]
}

/** Waits until the page has no skeleton or busy region left. */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.skeleton, [aria-busy="true"], .skeleton-text').count(), { timeout: 30_000 }).toBe(0)
  await page.waitForTimeout(200)
}

async function context(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const created = await openContext(browser, { viewport: VIEWPORTS.laptop, locale })
  return { context: created, page: await created.newPage() }
}

beforeAll(async () => {
  stack = sharedStack()
  browser = await launchBrowser()
  const login = await fetch(`${stack.base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password }),
  })
  token = ((await login.json()) as { accessToken: string }).accessToken
  const products = await apiCall<{ data: { id: string }[] }>('/v1/products?limit=1')
  productId = products.data[0]?.id ?? ''
  expect(productId).not.toBe('')
})

afterAll(async () => {
  await browser?.close()
})

describe('every page in both languages', () => {
  for (const locale of ['es-MX', 'en'] as const) {
    it(`renders each page in ${locale}, sets <html lang> and the title, and keeps a screenshot`, async () => {
      const { context: ctx, page } = await context(locale)
      await page.goto(`${stack.base}/signin`)
      await page.getByRole('heading', { name: text('auth.signInTitle', locale) }).waitFor()
      await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-${locale}-signin.png`, fullPage: true })
      await page.goto(`${stack.base}/signup`)
      await page.getByRole('heading', { name: text('auth.signUpTitle', locale) }).waitFor()
      await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-${locale}-signup.png`, fullPage: true })
      await signIn(page, stack.base, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password, locale)
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale)
      for (const { name, path, heading } of pages(locale)) {
        await page.goto(`${stack.base}${path}`)
        if (heading) await page.getByRole('heading', { name: heading, exact: true }).waitFor()
        else await page.getByRole('heading', { level: 1 }).waitFor()
        await settled(page)
        await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-${locale}-${name}.png`, fullPage: true })
      }
      await page.goto(`${stack.base}/products`)
      await settled(page)
      expect(await page.title()).toBe(text('app.pageTitle', locale, { page: text('nav.products', locale) }))
      const prices = await page.locator('td[data-label]').filter({ hasText: '$' }).allTextContents()
      expect(prices.length).toBeGreaterThan(0)
      for (const price of prices) expect(price).toMatch(/MX\$\d{1,3}(,\d{3})*\.\d{2}/)
      await ctx.close()
    })
  }
})

describe('untranslated strings', () => {
  it('finds none on any page in the pseudo-locale, and the check does catch a literal', async () => {
    const { context: ctx, page } = await context('en-US')
    const data = collectApiData(page)
    await page.goto(`${stack.base}/signin?locale=qps`)
    await page.getByRole('heading', { name: text('auth.signInTitle', 'qps') }).waitFor()
    const offenders: { page: string; text: string; where: string }[] = []
    const check = async (name: string) => {
      for (const found of untranslated(await visibleTexts(page), data)) offenders.push({ page: name, ...found })
    }
    await check('signin')
    // A real invitation: its link's page as a guest, then the members page lists it as open.
    const invitee = `qps-invitee-${Date.now()}@shop.example`
    const invitation = await apiCall<{ url: string }>('/v1/members/invitations', { method: 'POST', body: { email: invitee, role: 'member' } })
    const invitePath = new URL(invitation.url).pathname
    expect(invitePath).toMatch(/^\/invite\//)
    await page.goto(`${stack.base}${invitePath}?locale=qps`)
    await page.getByRole('heading', { name: text('acceptInvitation.title', 'qps') }).waitFor()
    await check('accept-invitation')
    await signIn(page, stack.base, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password, 'qps')
    for (const { name, path } of pages('qps')) {
      await page.goto(`${stack.base}${path}`)
      await page.getByRole('heading', { level: 1 }).waitFor()
      await settled(page)
      await check(name)
    }
    // A refused form shows the translated banner and field error, not the API's English.
    await page.goto(`${stack.base}/categories`)
    await settled(page)
    await page.getByRole('button', { name: text('categories.add', 'qps') }).click()
    await page.locator('.field-error').first().waitFor()
    await check('categories-error')
    // The invite form with its open invitation, refusing a second invitation to the same email.
    await page.goto(`${stack.base}/members`)
    await settled(page)
    await page.getByRole('list', { name: text('invitations.open', 'qps') }).getByText(invitee).waitFor()
    await page.getByLabel(text('invitations.email', 'qps')).fill(`qps-second-${Date.now()}@shop.example`)
    await page.getByRole('button', { name: text('invitations.create', 'qps') }).click()
    await page.getByTestId('invitation-url').waitFor()
    await settled(page)
    await check('members-invitation-link')
    await page.getByLabel(text('invitations.email', 'qps')).fill(invitee)
    await page.getByRole('button', { name: text('invitations.create', 'qps') }).click()
    await page.getByRole('alert').filter({ hasText: text('error.invitation_pending', 'qps') }).waitFor()
    await check('members-invite-error')
    // The invitation's page signed in as someone else: accepting is refused with a translated reason.
    await page.goto(`${stack.base}${invitePath}`)
    await page.getByRole('button', { name: text('acceptInvitation.acceptAs', 'qps', { email: DEMO_ACCOUNT.email }) }).click()
    await page.getByRole('alert').filter({ hasText: text('error.invitation_email_mismatch', 'qps') }).waitFor()
    await check('accept-invitation-signed-in')
    expect(offenders).toEqual([])

    await page.evaluate(() => document.querySelector('main')?.insertAdjacentHTML('beforeend', '<p>Forgotten literal</p>'))
    expect(untranslated(await visibleTexts(page), data).map((o) => o.text)).toContain('Forgotten literal')
    await ctx.close()
  })
})

describe('frictions fixed for a Spanish-speaking owner', () => {
  let ctx: BrowserContext
  let page: Page
  const es = (key: Parameters<typeof text>[0], params: Record<string, string | number> = {}) => text(key, 'es-MX', params)

  beforeAll(async () => {
    ;({ context: ctx, page } = await context('es-MX'))
    await signIn(page, stack.base, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password, 'es-MX')
  })
  afterAll(async () => {
    await ctx?.close()
  })

  it('1. a price typed as "1.299,50" is stored as 129950 minor units of the tenant currency (MXN), shown as MX$', async () => {
    await page.goto(`${stack.base}/products/new`)
    await page.getByLabel(es('productEditor.name'), { exact: true }).fill('Reloj Ámbar')
    await page.getByLabel(es('productEditor.sku')).fill('RELOJ-AMBAR-1')
    const price = page.getByLabel(es('productEditor.amountIn', { label: es('productEditor.price'), currency: 'MX$' }))
    await price.fill('1.299,50')
    expect(await page.getByLabel(es('productEditor.currency')).inputValue()).toBe('MXN')
    await page.getByRole('button', { name: es('productEditor.create') }).click()
    await page.getByRole('heading', { name: es('productEditor.editTitle', { name: 'Reloj Ámbar' }) }).waitFor()
    const found = await apiCall<{ data: { variants: { sku: string; price: number; currency: string }[] }[] }>('/v1/products?q=Reloj%20%C3%81mbar')
    expect(found.data[0]?.variants).toMatchObject([{ sku: 'RELOJ-AMBAR-1', price: 129950, currency: 'MXN' }])
    expect(await price.inputValue()).toBe('1,299.50')

    await price.fill('1,399.00')
    await page.getByRole('button', { name: es('productEditor.save') }).click()
    await page.getByTestId('save-state').getByText(es('productEditor.stateSaved'), { exact: true }).waitFor()
    const updated = await apiCall<{ data: { variants: { price: number }[] }[] }>('/v1/products?q=Reloj%20%C3%81mbar')
    expect(updated.data[0]?.variants[0]?.price).toBe(139900)

    await price.fill('12,34,5')
    await page.getByRole('button', { name: es('productEditor.save') }).click()
    await expect.poll(() => page.locator('.field--invalid').filter({ has: price }).textContent()).toContain(es('productEditor.amountInvalid'))

    await page.goto(`${stack.base}/products?q=`)
    await page.getByRole('link', { name: 'Reloj Ámbar' }).waitFor()
    await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-es-MX-friction-1-prices.png`, fullPage: true })
    await expect.poll(() => page.locator('tr', { hasText: 'Reloj Ámbar' }).textContent()).toContain('MX$1,399.00')
  })

  it('5. the attribute key follows the label ("Color correa" → color_correa), accents stripped, and stays editable', async () => {
    await page.goto(`${stack.base}/attributes`)
    const label = page.getByLabel(es('attributes.label'), { exact: true })
    const key = page.getByLabel(es('attributes.key'), { exact: true })
    await label.fill('Color correa')
    expect(await key.inputValue()).toBe('color_correa')
    await label.fill('Tamaño de carátula')
    expect(await key.inputValue()).toBe('tamano_de_caratula')
    await key.fill('caratula')
    await label.fill('Tamaño de la carátula')
    expect(await key.inputValue()).toBe('caratula')
    await page.getByRole('button', { name: es('attributes.add') }).click()
    await page.getByLabel(es('attributes.labelOf', { key: 'caratula' })).waitFor()
    await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-es-MX-friction-5-attributes.png`, fullPage: true })
    const definitions = await apiCall<{ data: { key: string; label: string }[] }>('/v1/attributes')
    expect(definitions.data).toContainEqual(expect.objectContaining({ key: 'caratula', label: 'Tamaño de la carátula' }))
  })

  it('6. API keys take an expiry date, confirm the revocation, and stay listed greyed once revoked', async () => {
    await page.goto(`${stack.base}/keys`)
    await page.getByLabel(es('keys.name')).fill('Tienda Centro')
    const nextYear = new Date().getFullYear() + 1
    await page.getByLabel(es('keys.expires')).fill(`${nextYear}-06-30`)
    await page.getByRole('button', { name: es('keys.create') }).click()
    await page.getByTestId('new-key').waitFor()
    const keys = await apiCall<{ data: { name: string; expiresAt: string | null }[] }>('/v1/api-keys')
    const stored = keys.data.find((k) => k.name === 'Tienda Centro')
    expect(new Date(stored?.expiresAt ?? 0).getFullYear()).toBe(nextYear)
    await page.getByRole('button', { name: es('keys.stored') }).click()

    page.once('dialog', (dialog) => {
      expect(dialog.message()).toBe(es('keys.confirmRevoke', { name: 'Tienda Centro' }))
      void dialog.accept()
    })
    await page.getByRole('button', { name: es('keys.revokeNamed', { name: 'Tienda Centro' }) }).click()
    await page.getByRole('status').filter({ hasText: es('keys.revokedBanner', { name: 'Tienda Centro' }) }).waitFor()
    const revoked = page.getByRole('list', { name: es('keys.revokedTitle') }).locator('li', { hasText: 'Tienda Centro' })
    await revoked.waitFor()
    expect(await revoked.getAttribute('class')).toContain('key--revoked')
    expect(Number(await revoked.evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(1)
    await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-es-MX-friction-6-keys.png`, fullPage: true })
  })

  it('7. categories: slug, description and position are editable, and moving under another asks first', async () => {
    await page.goto(`${stack.base}/categories`)
    for (const name of ['Relojes finos', 'Correas de piel']) {
      await page.getByLabel(es('categories.name')).fill(name)
      await page.getByRole('button', { name: es('categories.add') }).click()
      await page.getByLabel(es('categories.nameOf', { name })).waitFor()
    }
    const row = (name: string) => page.locator('li.tree-row').filter({ has: page.getByLabel(es('categories.nameOf', { name })) })
    await page.getByLabel(es('categories.slugOf', { name: 'Correas de piel' })).fill('correas')
    await page.getByLabel(es('categories.descriptionOf', { name: 'Correas de piel' })).fill('Correas de cuero para reloj')
    await page.getByLabel(es('categories.positionOf', { name: 'Correas de piel' })).fill('3')
    await row('Correas de piel').getByRole('button', { name: es('common.save') }).click()
    type Cat = { name: string; slug: string; description: string | null; position: number; parentId: string | null; id: string }
    await expect
      .poll(async () => (await apiCall<{ data: Cat[] }>('/v1/categories')).data.find((c) => c.name === 'Correas de piel'))
      .toMatchObject({ slug: 'correas', description: 'Correas de cuero para reloj', position: 3 })

    const parent = (await apiCall<{ data: Cat[] }>('/v1/categories')).data.find((c) => c.name === 'Relojes finos')
    let asked = ''
    page.once('dialog', (dialog) => {
      asked = dialog.message()
      void dialog.dismiss()
    })
    await page.getByLabel(es('categories.parentOf', { name: 'Correas de piel' })).selectOption(parent?.id ?? '')
    await expect.poll(() => asked).toBe(es('categories.confirmMove', { name: 'Correas de piel', parent: 'Relojes finos' }))
    await page.waitForTimeout(500)
    expect((await apiCall<{ data: Cat[] }>('/v1/categories')).data.find((c) => c.name === 'Correas de piel')?.parentId).toBeNull()
    expect(await page.getByLabel(es('categories.parentOf', { name: 'Correas de piel' })).inputValue()).toBe('')

    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByLabel(es('categories.parentOf', { name: 'Correas de piel' })).selectOption(parent?.id ?? '')
    await expect.poll(async () => (await apiCall<{ data: Cat[] }>('/v1/categories')).data.find((c) => c.name === 'Correas de piel')?.parentId).toBe(parent?.id)
    await page.screenshot({ path: `${SCREENSHOT_DIR}i18n-es-MX-friction-7-categories.png`, fullPage: true })
  })

  it('API errors are translated with their details: an empty name is "Obligatorio." next to the field', async () => {
    await page.goto(`${stack.base}/categories`)
    await page.getByRole('button', { name: es('categories.add') }).click()
    await expect.poll(() => page.locator('.field--invalid').filter({ has: page.getByLabel(es('categories.name')) }).textContent()).toContain(es('issue.required'))
    await expect.poll(() => page.locator('.banner--error').textContent()).toBe(es('error.invalid_field', { field: 'name', problem: es('issue.required') }))
  })
})

describe('switching language', () => {
  it('keeps the page and what was typed, sets <html lang>, and is remembered for the user on the server', async () => {
    const { context: ctx, page } = await context('en-US')
    await signIn(page, stack.base, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password, 'en')
    await page.goto(`${stack.base}/products/new`)
    await page.getByLabel(text('productEditor.name', 'en'), { exact: true }).fill('Half-typed product')
    await page.getByTestId('locale-switch').selectOption('es-MX')
    await page.getByRole('heading', { name: text('productEditor.newTitle', 'es-MX') }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/products/new')
    expect(await page.getByLabel(text('productEditor.name', 'es-MX'), { exact: true }).inputValue()).toBe('Half-typed product')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es-MX')
    await expect.poll(async () => (await apiCall<{ user: { locale: string | null } }>('/v1/auth/me')).user.locale).toBe('es-MX')

    const { context: other, page: elsewhere } = await context('en-US')
    await elsewhere.goto(`${stack.base}/signin`)
    await elsewhere.getByLabel(text('auth.email', 'en')).fill(DEMO_ACCOUNT.email)
    await elsewhere.getByLabel(text('auth.password', 'en')).fill(DEMO_ACCOUNT.password)
    await elsewhere.getByRole('button', { name: text('auth.signIn', 'en') }).click()
    await elsewhere.getByRole('heading', { name: text('nav.dashboard', 'es-MX') }).waitFor()

    await page.getByTestId('locale-switch').selectOption('en')
    await page.getByRole('heading', { name: text('productEditor.newTitle', 'en') }).waitFor()
    await expect.poll(async () => (await apiCall<{ user: { locale: string | null } }>('/v1/auth/me')).user.locale).toBe('en')
    await other.close()
    await ctx.close()
  })
})
