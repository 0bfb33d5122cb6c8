// The Search page in headless Chromium against the `npm start` stack with a generated tiny CLIP model: images uploaded in
// the editor get indexed, the same image finds its product first, the minimum-score slider hides and cuts weaker results,
// a text search answers, and a model_unavailable answer is named.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateModel } from '../../scripts/model/generate'
import { TINY } from '../../scripts/model/sizes'
import { launchBrowser, screenshotBothWidths, signUp, VIEWPORTS } from './browser'
import { startStack, type Stack } from './stack'

const owner = { email: `search-${Date.now()}@shop.example`, password: 'correct-horse-battery', shop: 'Checkerboard Goods' }
const CHECKED = { name: 'Checked poster', sku: 'POSTER-CHECK', category: 'Posters' }
const SMOOTH = { name: 'Meadow lamp', sku: 'LAMP-MEADOW', category: 'Lamps' }

let modelDir = ''
let stack: Stack
let browser: Browser
let page: Page
let checkedPng: Buffer

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'vitrina-tiny-clip-'))
  generateModel({ size: TINY, out: modelDir })
  stack = await startStack({ CLIP_MODEL_DIR: modelDir })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: VIEWPORTS.laptop, locale: 'en-US' })
  checkedPng = await checkerboard()
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  if (modelDir) await rm(modelDir, { recursive: true, force: true })
})

/** A red and blue checkerboard, 8 squares a side. */
function checkerboard(): Promise<Buffer> {
  const size = 128
  const square = size / 8
  const pixels = Buffer.alloc(size * size * 3)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const red = (Math.floor(x / square) + Math.floor(y / square)) % 2 === 0
      pixels.set(red ? [220, 30, 40] : [20, 60, 200], (y * size + x) * 3)
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer()
}

/** A smooth green-to-yellow gradient: nothing like the checkerboard. */
function gradient(): Promise<Buffer> {
  const size = 128
  const pixels = Buffer.alloc(size * size * 3)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) pixels.set([Math.round((x / size) * 230), 200, 60], (y * size + x) * 3)
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer()
}

async function ownerToken(): Promise<string> {
  const res = await fetch(`${stack.base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: owner.email, password: owner.password }) })
  return ((await res.json()) as { accessToken: string }).accessToken
}

/** Creates an active product with one variant in `category` through the editor, uploads `png` and waits until it is indexed. */
async function productWithImage(product: typeof CHECKED, png: Buffer): Promise<void> {
  await page.goto(`${stack.base}/products/new`)
  await page.getByLabel('Name', { exact: true }).fill(product.name)
  await page.getByLabel('Status').selectOption('active')
  await page.getByLabel('Category').selectOption({ label: product.category })
  await page.getByLabel('SKU').fill(product.sku)
  await page.getByLabel('Price').fill('19.00')
  await page.getByRole('button', { name: 'Create product' }).click()
  await page.getByRole('heading', { name: `Edit ${product.name}` }).waitFor()
  await page.getByLabel('Add images').setInputFiles([{ name: `${product.sku.toLowerCase()}.png`, mimeType: 'image/png', buffer: png }])
  await page.getByRole('listitem', { name: 'Image 1', exact: true }).getByText('Indexed', { exact: true }).waitFor({ timeout: 120_000 })
}

const results = () => page.getByRole('list', { name: 'Results' }).getByRole('listitem')
const scoreOf = async (index: number) => Number.parseFloat((await results().nth(index).getByLabel('Score').textContent()) ?? '')
const summary = () => page.getByLabel('Search summary')

describe('search playground', () => {
  it('indexes images uploaded in the product editor with the tiny model loaded', async () => {
    await signUp(page, stack.base, owner)

    const token = await ownerToken()
    for (const name of [CHECKED.category, SMOOTH.category]) {
      const res = await fetch(`${stack.base}/v1/categories`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
      expect(res.status).toBe(201)
    }
    await productWithImage(CHECKED, checkedPng)
    await productWithImage(SMOOTH, await gradient())
  })

  it('shows the empty state, then finds the product of the same image first at ≥ 99 % with its category', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Search' }).click()
    await page.getByRole('heading', { name: 'Search' }).waitFor()
    await page.getByText('No search yet').waitFor()

    await page.getByLabel('Search by image').setInputFiles([{ name: 'query.png', mimeType: 'image/png', buffer: checkedPng }])
    await expect.poll(() => results().count()).toBe(2)
    expect(await results().first().getAttribute('aria-label')).toBe(CHECKED.name)
    expect(await scoreOf(0)).toBeGreaterThanOrEqual(99)
    expect(await scoreOf(1)).toBeLessThan(99)
    expect(await summary().textContent()).toMatch(new RegExp(`Detected category ${CHECKED.category} · \\d+\\.\\d ?% · margin \\d+\\.\\d pts`))
    expect(await summary().textContent()).toMatch(/2 results in \d+ ms/)
    await expect.poll(() => page.evaluate(`document.querySelector('.search-result img')?.naturalWidth ?? 0`)).toBeGreaterThan(0)
    expect(await page.getByRole('alert').count()).toBe(0)
    await screenshotBothWidths(page, 'search')
  })

  it('hides results under the minimum score and sends it with the next search', async () => {
    const threshold = Math.floor(await scoreOf(1)) + 1
    await page.getByLabel('Minimum score').fill(String(threshold))
    await expect.poll(() => results().count()).toBe(1)
    expect(await results().first().getAttribute('aria-label')).toBe(CHECKED.name)
    await page.getByText('1 result is below the minimum score.').waitFor()

    const request = page.waitForRequest((req) => new URL(req.url()).pathname === '/v1/search/image')
    // Decoded in the page without fetch(): the admin UI's CSP allows connections to its own origin only.
    const transfer = await page.evaluateHandle(`(() => {
      const bytes = Uint8Array.from(atob('${checkedPng.toString('base64')}'), (c) => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }))
      return transfer
    })()`)
    await page.locator('.search-drop').dispatchEvent('drop', { dataTransfer: transfer })
    expect(new URL((await request).url()).searchParams.get('min_score')).toBe(String(threshold / 100))
    await expect.poll(() => summary().textContent()).toMatch(/1 result in \d+ ms/)
    expect(await page.getByText('below the minimum score').count()).toBe(0)
  })

  it('runs a text search without an error', async () => {
    await page.getByLabel('Minimum score').fill('0')
    await page.getByLabel('Search by text').fill('red and blue checked poster')
    const answer = page.waitForResponse((res) => new URL(res.url()).pathname === '/v1/search/text')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    const body = (await (await answer).json()) as { results: { product: { name: string } }[] }
    expect(body.results.length).toBeGreaterThan(0)
    await expect.poll(() => results().evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')))).toEqual(body.results.map((result) => result.product.name))
    await expect.poll(() => page.locator('.search-status').textContent()).toBe('')
    expect(await page.getByRole('alert').count()).toBe(0)
  })

  it('names an unavailable model and keeps the last results in place', async () => {
    const error = { error: { code: 'model_unavailable', message: 'No CLIP model is loaded' } }
    await page.route('**/v1/search/text*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify(error) }))
    const shown = await results().count()
    expect(shown).toBeGreaterThan(0)
    await page.getByLabel('Search by text').fill('blue lamp')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The search model is not available right now; try again later.')
    expect(await results().count()).toBe(shown)
    await page.unroute('**/v1/search/text*')
  })
})
