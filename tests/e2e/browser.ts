// Headless Chromium through playwright-core (the build `npm install` brings, or CHROMIUM_PATH), plus helpers the admin UI tests share.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { t, type Locale, type MessageKey } from '../../web/src/i18n'

/** Where each run writes a screenshot of each page (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url))

/** The widths every page is captured at. */
export const VIEWPORTS = { laptop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const

/** Launches the Chromium the run's setup resolved; playwright-core gives every launch a fresh temporary profile (user data dir). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** How long a page action or wait may take: the browser tests share two cores with the rest of the suite, and a busy
 * embedded database can hold a page for several seconds. A real failure still fails, only later. */
export const ACTION_TIMEOUT_MS = 60_000

/** A browser context with `options` whose actions and waits allow {@link ACTION_TIMEOUT_MS}. */
export async function openContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options)
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  return context
}

/** Writes `name`-laptop.png and `name`-phone.png of the page as it is now, restoring the laptop size after. */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size)
    await page.waitForTimeout(150)
    await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${label}.png`, fullPage: true })
  }
  await page.setViewportSize(VIEWPORTS.laptop)
}

/** The UI text of `key` in `locale`, as the page shows it (tests find elements by what the person reads). */
export function text(key: MessageKey, locale: Locale = 'en', params: Record<string, string | number> = {}): string {
  return t(key, params, locale)
}

/** Signs in through the form (labels in the page's language, English unless told) and waits for the dashboard (`wait` sets how long). */
export async function signIn(page: Page, base: string, email: string, password: string, locale: Locale = 'en', wait: { timeout?: number } = {}): Promise<void> {
  await page.goto(`${base}/signin`)
  await page.getByLabel(text('auth.email', locale)).fill(email)
  await page.getByLabel(text('auth.password', locale)).fill(password)
  await page.getByRole('button', { name: text('auth.signIn', locale) }).click()
  await page.getByRole('heading', { name: text('nav.dashboard', locale) }).waitFor(wait)
}

/** Signs up through the form (labels in the page's language, English unless told) and waits for the dashboard. */
export async function signUp(page: Page, base: string, account: { email: string; password: string; shop: string }, locale: Locale = 'en'): Promise<void> {
  await page.goto(`${base}/signup`)
  await page.getByLabel(text('auth.email', locale)).fill(account.email)
  await page.getByLabel(text('auth.password', locale)).fill(account.password)
  await page.getByLabel(text('auth.shopName', locale)).fill(account.shop)
  await page.getByRole('button', { name: text('auth.createAccount', locale) }).click()
  await page.getByRole('heading', { name: text('nav.dashboard', locale) }).waitFor()
}
