// Headless Chromium through playwright-core (the build `npm install` brings, or CHROMIUM_PATH), plus helpers the admin UI tests share.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'

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

/** Signs in through the form and waits for the dashboard. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/signin`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
}

/** Signs up through the form and waits for the dashboard. */
export async function signUp(page: Page, base: string, account: { email: string; password: string; shop: string }): Promise<void> {
  await page.goto(`${base}/signup`)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByLabel('Shop name').fill(account.shop)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
}
