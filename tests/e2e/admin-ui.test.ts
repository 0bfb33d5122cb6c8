// The admin UI in headless Chromium against the `npm start` stack: sign-up, a product with a variant, an API key shown
// once and revoked, stock changed in one session showing up live in another, and a screenshot of every page.
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generate, SCHEMA_FILE, type OpenApiDocument } from '../../web/scripts/openapi-types'
import { launchBrowser, openContext, screenshotBothWidths, signIn, text, VIEWPORTS } from './browser'
import { sharedStack, type Stack } from './stack'

const owner = { email: `owner-${Date.now()}@shop.example`, password: 'correct-horse-battery', shop: 'Harbour Ceramics' }
const SKU = 'MUG-HARBOUR-350'

let stack: Stack
let browser: Browser
let page: Page

beforeAll(async () => {
  stack = sharedStack()
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: VIEWPORTS.laptop, locale: 'en-US' })
})

afterAll(async () => {
  await browser?.close()
})

describe('admin UI', () => {
  it('is type-checked against the API it is served with', async () => {
    const doc = (await (await fetch(`${stack.base}/openapi.json`)).json()) as OpenApiDocument
    const committed = await readFile(SCHEMA_FILE, 'utf8')
    expect(committed, 'web/src/api/schema.ts is stale: run npx tsx web/scripts/openapi-types.ts <running stack URL>').toBe(generate(doc))
  })

  it('signs up through the form and lands on the dashboard', async () => {
    await page.goto(`${stack.base}/signup`)
    await screenshotBothWidths(page, 'sign-up')
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill(owner.password)
    await page.getByLabel('Shop name').fill(owner.shop)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    await expect.poll(() => page.locator('.topbar').textContent()).toContain(owner.shop)
    expect(new URL(page.url()).pathname).toBe('/')
  })

  it('shows the API error next to the field it is about', async () => {
    await page.goto(`${stack.base}/products/new`)
    await page.getByLabel('Name', { exact: true }).fill('Bad SKU mug')
    await page.getByLabel('SKU').fill('has spaces')
    await page.getByLabel('Price').fill('3.00')
    await page.getByRole('button', { name: 'Create product' }).click()
    await expect.poll(() => page.locator('.field--invalid').filter({ has: page.getByLabel('SKU') }).textContent()).toContain(text('issue.format.sku'))
    await page.getByLabel('Price').fill('3.005')
    await page.getByRole('button', { name: 'Create product' }).click()
    await expect.poll(() => page.locator('.field--invalid').filter({ has: page.getByLabel('Price') }).textContent()).toContain('Enter an amount')
  })

  it('creates a product with a variant, price in major units stored as minor units', async () => {
    await page.goto(`${stack.base}/products/new`)
    await page.getByLabel('Name', { exact: true }).fill('Harbour mug')
    await page.getByLabel('Status').selectOption('active')
    await page.getByLabel('Description', { exact: true }).fill('Stoneware, 350 ml')
    await page.getByLabel('SKU', { exact: true }).fill(SKU)
    // The price field names the currency it is typed in: the shop's (MX$ by default) until the variant's changes.
    await page.getByLabel(/^Price \(/).fill('12.50')
    await page.getByLabel('Currency', { exact: true }).fill('EUR')
    await page.getByRole('button', { name: 'Create product' }).click()
    await page.getByRole('heading', { name: 'Edit Harbour mug' }).waitFor()
    await screenshotBothWidths(page, 'product-editor')

    const token = await ownerToken()
    const products = (await (await fetch(`${stack.base}/v1/products?q=Harbour`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      data: { name: string; status: string; variants: { sku: string; price: number; currency: string }[] }[]
    }
    expect(products.data).toMatchObject([{ name: 'Harbour mug', status: 'active', variants: [{ sku: SKU, price: 1250, currency: 'EUR' }] }])

    await page.goto(`${stack.base}/products`)
    await page.getByRole('link', { name: 'Harbour mug' }).waitFor()
    await page.getByLabel('Status').selectOption('draft')
    await page.getByText('No products match these filters').waitFor()
    await screenshotBothWidths(page, 'products')
  })

  it('creates an API key, shows it once, then revokes it', async () => {
    await page.goto(`${stack.base}/keys`)
    await page.getByText('No API keys yet').waitFor()
    await page.getByLabel('Key name').fill('Storefront')
    await page.getByLabel('write').check()
    await page.getByRole('button', { name: 'Create key' }).click()
    const key = (await page.getByTestId('new-key').textContent())?.trim() ?? ''
    expect(key).toMatch(/^vk_live_/)
    const asKey = await fetch(`${stack.base}/v1/tenant`, { headers: { 'x-api-key': key } })
    expect(asKey.status).toBe(200)
    await screenshotBothWidths(page, 'api-keys')

    await page.getByRole('button', { name: 'I have stored it' }).click()
    await page.reload()
    await page.getByRole('button', { name: 'Revoke Storefront' }).waitFor()
    expect(await page.content()).not.toContain(key)

    page.once('dialog', (dialog) => void dialog.accept())
    await page.getByRole('button', { name: 'Revoke Storefront' }).click()
    await page.getByText('No API keys yet').waitFor()
    await expect.poll(async () => (await fetch(`${stack.base}/v1/tenant`, { headers: { 'x-api-key': key } })).status, { timeout: 40_000, interval: 2_000 }).toBe(401)
  })

  it('shows stock changed in one session live in another', async () => {
    const other = await openContext(browser, { viewport: VIEWPORTS.laptop, locale: 'en-US' })
    const watcher = await other.newPage()
    await signIn(watcher, stack.base, owner.email, owner.password)
    await watcher.goto(`${stack.base}/inventory`)
    await watcher.getByText('Live', { exact: true }).waitFor()
    const watchedOnHand = watcher.locator(`tr[data-sku="${SKU}"] [data-testid="on-hand"]`)
    await expect.poll(() => watchedOnHand.textContent()).toBe('0')

    await page.goto(`${stack.base}/inventory`)
    await page.getByText('Live', { exact: true }).waitFor()
    await page.getByLabel(`Set on hand for ${SKU}`, { exact: true }).first().fill('7')
    await page.getByRole('button', { name: `Set on hand for ${SKU}` }).click()
    await expect.poll(() => watchedOnHand.textContent()).toBe('7')
    await page.getByRole('button', { name: `Add one ${SKU}` }).click()
    await expect.poll(() => watchedOnHand.textContent()).toBe('8')
    await page.getByRole('button', { name: `Remove one ${SKU}` }).click()
    await page.getByRole('button', { name: `Remove one ${SKU}` }).click()
    await expect.poll(() => watchedOnHand.textContent()).toBe('6')
    await expect.poll(() => page.locator(`tr[data-sku="${SKU}"] [data-testid="on-hand"]`).textContent()).toBe('6')
    await other.close()

    await screenshotBothWidths(page, 'inventory')
    await page.getByRole('button', { name: `Ledger of ${SKU}` }).click()
    await page.getByRole('heading', { name: `Ledger of ${SKU}` }).waitFor()
    await expect.poll(() => page.locator('.ledger li').count()).toBe(4)
    await screenshotBothWidths(page, 'inventory-ledger')
    await page.getByRole('button', { name: 'Close' }).click()
  })

  it('invites a member with a link the invitee opens to join with a password of their own', async () => {
    const invitee = { email: `invitee-${Date.now()}@shop.example`, password: 'my own password here' }
    await page.goto(`${stack.base}/members`)
    await page.getByLabel('Email to invite').fill(invitee.email)
    await page.getByLabel('Role', { exact: true }).selectOption('member')
    await page.getByRole('button', { name: 'Create invitation' }).click()
    const link = page.getByTestId('invitation-url')
    await link.waitFor()
    const url = (await link.textContent()) ?? ''
    expect(new URL(url).pathname).toMatch(/^\/invite\/vi_/)
    await page.getByRole('list', { name: 'Open invitations' }).getByText(invitee.email).waitFor()
    await screenshotBothWidths(page, 'members-invite')

    const guest = await browser.newPage({ viewport: VIEWPORTS.laptop })
    try {
      await guest.goto(url)
      await guest.getByRole('heading', { name: 'Join a shop on Vitrina' }).waitFor()
      await screenshotBothWidths(guest, 'accept-invitation')
      await guest.getByLabel('Choose a password').fill(invitee.password)
      await guest.getByRole('button', { name: 'Create account and join' }).click()
      await guest.getByRole('heading', { name: 'Dashboard' }).waitFor()
      await expect.poll(() => guest.locator('.topbar').textContent()).toContain(`${invitee.email} · member`)
    } finally {
      await guest.close()
    }
    await page.reload()
    await page.getByText(invitee.email).first().waitFor()
    await expect.poll(() => page.getByRole('list', { name: 'Open invitations' }).count()).toBe(0)
    await page.goto(stack.base)
    await expect.poll(() => page.locator('.stat').filter({ hasText: 'Products' }).locator('dd').textContent(), { timeout: 30_000 }).toBe('1')
  })

  it('renders every other page', async () => {
    await page.goto(stack.base)
    await expect.poll(() => page.locator('.stat').filter({ hasText: 'Products' }).locator('dd').textContent(), { timeout: 15_000 }).toBe('1')
    await expect.poll(() => page.locator('.stat').filter({ hasText: 'Units available' }).locator('dd').textContent(), { timeout: 15_000 }).toBe('6')
    for (const [path, heading, name] of [
      ['/', 'Dashboard', 'dashboard'],
      ['/categories', 'Categories', 'categories'],
      ['/attributes', 'Attributes', 'attributes'],
      ['/members', 'Members', 'members'],
      ['/usage', 'Usage', 'usage'],
    ] as const) {
      await page.goto(`${stack.base}${path}`)
      await page.getByRole('heading', { name: heading, exact: true }).waitFor()
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0)
      await screenshotBothWidths(page, name)
    }
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Vitrina' }).waitFor()
    await screenshotBothWidths(page, 'sign-in')
  })
})

/** An access token of the owner from the API directly, to check what the UI stored. */
async function ownerToken(): Promise<string> {
  const res = await fetch(`${stack.base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: owner.password }) })
  return ((await res.json()) as { accessToken: string }).accessToken
}
