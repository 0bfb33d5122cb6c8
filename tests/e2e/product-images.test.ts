// The product editor's Images panel in headless Chromium against the `npm start` stack: upload with progress, a refused
// file's API error, the pending badge and list polling (the test stack's CLIP service has no model), primary, alt, delete.
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, screenshotBothWidths, signUp, text, VIEWPORTS } from './browser'
import { sharedStack, type Stack } from './stack'

const owner = { email: `images-${Date.now()}@shop.example`, password: 'correct-horse-battery', shop: 'Lantern Prints' }

interface StoredImage {
  id: string
  status: string
  alt: string | null
  isPrimary: boolean
}

let stack: Stack
let browser: Browser
let page: Page
let productId = ''
const listRequests: number[] = []

beforeAll(async () => {
  stack = sharedStack()
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: VIEWPORTS.laptop, locale: 'en-US' })
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/v1\/products\/[^/]+\/images$/.test(new URL(request.url()).pathname)) listRequests.push(Date.now())
  })
})

afterAll(async () => {
  await browser?.close()
})

/** A solid-colour PNG of the given size. */
function png(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer()
}

/** The product's images straight from the API, to check what the UI stored. */
async function storedImages(): Promise<StoredImage[]> {
  const login = await fetch(`${stack.base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: owner.password }) })
  const { accessToken } = (await login.json()) as { accessToken: string }
  const res = await fetch(`${stack.base}/v1/products/${productId}/images`, { headers: { authorization: `Bearer ${accessToken}` } })
  return ((await res.json()) as { data: StoredImage[] }).data
}

const card = (number: number) => page.getByRole('listitem', { name: `Image ${number}`, exact: true })
const uploadRow = (name: string) => page.locator('.upload').filter({ hasText: name })

describe('product images panel', () => {
  it('shows the empty state for a new product', async () => {
    await signUp(page, stack.base, owner)

    await page.goto(`${stack.base}/products/new`)
    await page.getByText('Adding the first image saves the product as a draft.').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Lantern print')
    await page.getByLabel('SKU').fill('PRINT-LANTERN-A3')
    await page.getByLabel('Price').fill('24.00')
    await page.getByRole('button', { name: 'Create product' }).click()
    await page.getByRole('heading', { name: 'Edit Lantern print' }).waitFor()
    productId = new URL(page.url()).pathname.split('/').at(-1) ?? ''
    await page.getByRole('heading', { name: 'Images' }).waitFor()
    await page.getByText('No images yet').waitFor()
  })

  it('uploads two PNGs through the file input with progress to 100 % and lists them pending', async () => {
    await page.getByLabel('Add images').setInputFiles([
      { name: 'lantern-red.png', mimeType: 'image/png', buffer: await png(64, 48, '#c0392b') },
      { name: 'lantern-blue.png', mimeType: 'image/png', buffer: await png(48, 64, '#2471a3') },
    ])
    for (const name of ['lantern-red.png', 'lantern-blue.png']) {
      await expect.poll(() => uploadRow(name).getByRole('progressbar', { name: `Upload of ${name}` }).getAttribute('value')).toBe('100')
      expect(await uploadRow(name).textContent()).toContain('100%')
    }
    for (const number of [1, 2]) {
      await card(number).getByText('Pending', { exact: true }).waitFor()
      const id = await card(number).getAttribute('data-image-id')
      const loadedWidth = `document.querySelector('[data-image-id="${id}"] img')?.naturalWidth ?? 0`
      await expect.poll(() => page.evaluate(loadedWidth)).toBeGreaterThan(0)
    }
    const stored = await storedImages()
    expect(stored.map((image) => image.status)).toEqual(['pending', 'pending'])
    expect(stored.filter((image) => image.isPrimary)).toHaveLength(1)
  })

  it('shows the API error of a refused file dropped on the drop zone', async () => {
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer()
      transfer.items.add(new File(['plain text, not an image'], 'notes.png', { type: 'image/png' }))
      return transfer
    })()`)
    await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer })
    await expect.poll(() => uploadRow('notes.png').getByRole('alert').textContent()).toBe(text('images.upload.unsupported', 'en', { name: 'notes.png' }))
    expect(await uploadRow('notes.png').textContent()).toContain('Failed')
    expect(await storedImages()).toHaveLength(2)
    await screenshotBothWidths(page, 'product-images')
  })

  it('keeps polling the list every 2 s while images stay pending', async () => {
    const before = listRequests.length
    await page.waitForTimeout(4_500)
    expect(listRequests.length - before).toBeGreaterThanOrEqual(2)
    await card(1).getByText('Pending', { exact: true }).waitFor()
  })

  it('makes the second image primary and saves alt text on Enter', async () => {
    const secondId = await card(2).getAttribute('data-image-id')
    await card(2).getByRole('button', { name: 'Make image 2 primary' }).click()
    await card(2).getByText('Primary', { exact: true }).waitFor()
    await expect.poll(() => card(1).getByText('Primary', { exact: true }).count()).toBe(0)
    await card(1).getByRole('button', { name: 'Make image 1 primary' }).waitFor()
    expect((await storedImages()).find((image) => image.isPrimary)?.id).toBe(secondId)

    const firstId = await card(1).getAttribute('data-image-id')
    await card(1).getByLabel('Alt text of image 1').fill('A red paper lantern')
    await card(1).getByLabel('Alt text of image 1').press('Enter')
    await card(1).getByText('Saved', { exact: true }).waitFor()
    expect((await storedImages()).find((image) => image.id === firstId)?.alt).toBe('A red paper lantern')
    await expect.poll(() => card(1).locator('img').getAttribute('alt')).toBe('A red paper lantern')
  })

  it('deletes both images after confirming, shows the empty state and stops polling', async () => {
    page.on('dialog', (dialog) => void dialog.accept())
    await card(2).getByRole('button', { name: 'Delete image 2' }).click()
    await expect.poll(() => page.locator('.image-card').count()).toBe(1)
    await card(1).getByRole('button', { name: 'Delete image 1' }).click()
    await page.getByText('No images yet').waitFor()
    expect(await storedImages()).toEqual([])

    await page.waitForTimeout(500)
    const settled = listRequests.length
    await page.waitForTimeout(4_500)
    expect(listRequests.length).toBe(settled)
    await screenshotBothWidths(page, 'product-images-empty')
  })
})
