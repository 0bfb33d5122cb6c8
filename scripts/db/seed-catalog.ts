// Seeds the demo tenant's catalog for `npm start`: categories, about 50 active products with variants, and generated
// PNG images with a distinct shape and palette per category, so visual search has something to find. Rows are
// written with SQL; image bytes go through the running Worker's upload API (R2 lives inside wrangler dev).
import { and, eq, inArray, sql } from 'drizzle-orm'
import sharp from 'sharp'
import type { Database } from '../../workers/db/client'
import { categories, productImages, products, variants } from '../../workers/db/schema/catalog'
import { tenants } from '../../workers/db/schema/tenants'
import { DEMO_ACCOUNT } from './seed'

/** What the seed asks of the running Worker: image uploads and stock levels (R2 and the Inventory objects live there). */
export interface DemoWorkerClient {
  upload(productId: string, files: { name: string; bytes: Uint8Array }[], alt: string): Promise<void>
  /** Registers the SKUs and sets their stock once (a fixed Idempotency-Key makes later starts replay, not reset). */
  stock(lines: { sku: string; onHand: number }[]): Promise<void>
}

type Shape = 'rings' | 'diagonal' | 'tiles' | 'lenses' | 'bands' | 'peaks'

interface DemoCategory {
  name: string
  slug: string
  shape: Shape
  /** Base hue in degrees; products of the category vary around it. */
  hue: number
  nouns: string[]
  options: { name: string; values: string[] }
  basePrice: number
}

const CATEGORIES: DemoCategory[] = [
  { name: 'Watches', slug: 'watches', shape: 'rings', hue: 45, nouns: ['Diver', 'Chronograph', 'Field Watch', 'Dress Watch', 'Pilot', 'GMT', 'Skeleton', 'Automatic', 'Solar'], options: { name: 'strap', values: ['steel', 'leather', 'rubber'] }, basePrice: 450_000 },
  { name: 'Sneakers', slug: 'sneakers', shape: 'diagonal', hue: 0, nouns: ['Runner', 'Court', 'Trail', 'High-Top', 'Slip-On', 'Trainer', 'Racer', 'Skate', 'Walker'], options: { name: 'size', values: ['25', '26', '27'] }, basePrice: 180_000 },
  { name: 'Bags', slug: 'bags', shape: 'tiles', hue: 28, nouns: ['Tote', 'Backpack', 'Messenger', 'Duffel', 'Clutch', 'Crossbody', 'Satchel', 'Weekender'], options: { name: 'colour', values: ['tan', 'black'] }, basePrice: 120_000 },
  { name: 'Sunglasses', slug: 'sunglasses', shape: 'lenses', hue: 180, nouns: ['Aviator', 'Wayfarer', 'Round', 'Cat-Eye', 'Sport', 'Clubmaster', 'Shield', 'Square'], options: { name: 'lens', values: ['polarised', 'gradient'] }, basePrice: 90_000 },
  { name: 'T-Shirts', slug: 't-shirts', shape: 'bands', hue: 220, nouns: ['Crew Tee', 'V-Neck', 'Pocket Tee', 'Henley', 'Raglan', 'Long Sleeve', 'Graphic Tee', 'Muscle Tee'], options: { name: 'size', values: ['S', 'M', 'L'] }, basePrice: 35_000 },
  { name: 'Lamps', slug: 'lamps', shape: 'peaks', hue: 55, nouns: ['Desk Lamp', 'Floor Lamp', 'Pendant', 'Reading Light', 'Lantern', 'Wall Sconce', 'Arc Lamp', 'Table Lamp'], options: { name: 'finish', values: ['brass', 'matte black'] }, basePrice: 150_000 },
]
const ADJECTIVES = ['Classic', 'Urban', 'Coastal', 'Midnight', 'Alpine', 'Heritage', 'Studio', 'Nomad', 'Solstice']
/** Side of the generated images: large enough for CLIP's 224 px crop and the 300 px thumbnail. */
const IMAGE_SIDE = 512
const IMAGES_PER_PRODUCT = 2

interface DemoProduct {
  category: DemoCategory
  index: number
  name: string
  slug: string
}

function demoProducts(): DemoProduct[] {
  return CATEGORIES.flatMap((category) =>
    category.nouns.map((noun, index) => {
      const name = `${ADJECTIVES[index % ADJECTIVES.length] ?? 'Classic'} ${noun}`
      return { category, index, name, slug: `demo-${category.slug}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }
    }),
  )
}

function shapeSvg(shape: Shape, fg: string, accent: string, view: number): string {
  const c = IMAGE_SIDE / 2
  const tilt = view * 20
  switch (shape) {
    case 'rings':
      return [140, 100, 60].map((r, i) => `<circle cx="${c}" cy="${c}" r="${r + view * 10}" fill="none" stroke="${i % 2 ? accent : fg}" stroke-width="26"/>`).join('')
    case 'diagonal':
      return Array.from({ length: 8 }, (_, i) => `<rect x="${i * 80 - 160}" y="-40" width="36" height="640" fill="${i % 2 ? accent : fg}" transform="rotate(${35 + tilt} ${c} ${c})"/>`).join('')
    case 'tiles':
      return Array.from({ length: 9 }, (_, i) => `<rect x="${76 + (i % 3) * 124}" y="${76 + Math.floor(i / 3) * 124}" width="108" height="108" rx="${24 + view * 12}" fill="${(i + view) % 2 ? accent : fg}"/>`).join('')
    case 'lenses':
      return `<circle cx="${c - 100}" cy="${c}" r="${82 - view * 8}" fill="${fg}"/><circle cx="${c + 100}" cy="${c}" r="${82 - view * 8}" fill="${fg}"/><rect x="${c - 30}" y="${c - 12}" width="60" height="16" fill="${accent}"/>`
    case 'bands':
      return Array.from({ length: 7 }, (_, i) => `<rect x="0" y="${i * 76 + view * 20}" width="${IMAGE_SIDE}" height="38" fill="${i % 2 ? accent : fg}"/>`).join('')
    case 'peaks':
      return [0, 1, 2].map((i) => `<polygon points="${60 + i * 130},420 ${125 + i * 130},${120 + view * 40} ${190 + i * 130},420" fill="${i % 2 ? accent : fg}"/>`).join('')
  }
}

/** Renders one product image: the category's shape in the product's colours on a light ground, per view. */
export async function renderDemoImage(product: DemoProduct, view: number): Promise<Uint8Array> {
  const hue = (product.category.hue + product.index * 7) % 360
  const fg = `hsl(${hue}, 70%, ${35 + (product.index % 3) * 8}%)`
  const accent = `hsl(${(hue + 30) % 360}, 55%, 60%)`
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_SIDE}" height="${IMAGE_SIDE}"><rect width="100%" height="100%" fill="hsl(${hue}, 25%, 95%)"/>${shapeSvg(product.category.shape, fg, accent, view)}</svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer())
}

async function insertCatalog(db: Database, tenantId: string, catalog: DemoProduct[]): Promise<void> {
  await db.transaction(async (tx) => {
    const categoryRows = await tx
      .insert(categories)
      .values(CATEGORIES.map((c, position) => ({ tenantId, name: c.name, slug: c.slug, position })))
      .onConflictDoNothing()
      .returning({ id: categories.id, slug: categories.slug })
    const categoryId = new Map(categoryRows.map((c) => [c.slug, c.id]))
    for (const item of catalog) {
      const [row] = await tx
        .insert(products)
        .values({
          tenantId,
          name: item.name,
          slug: item.slug,
          status: 'active',
          categoryId: categoryId.get(item.category.slug) ?? null,
          brand: 'Vitrina Demo',
          description: `${item.name} from the ${item.category.name.toLowerCase()} collection.`,
          tags: [item.category.slug],
        })
        .returning({ id: products.id })
      if (!row) throw new Error(`product ${item.slug} not inserted`)
      const { name, values } = item.category.options
      await tx.insert(variants).values(
        values.map((value, position) => ({
          tenantId,
          productId: row.id,
          sku: `DEMO-${item.category.slug.toUpperCase()}-${item.index + 1}-${position + 1}`,
          options: { [name]: value },
          price: item.category.basePrice + item.index * 5_000 + position * 1_000,
          currency: 'MXN',
          position,
        })),
      )
    }
  })
}

/**
 * Seeds the demo catalog once: skips the rows when the tenant already has products, then uploads images for every demo
 * product that has none yet (so a run interrupted between the two steps completes on the next start).
 */
export async function seedDemoCatalog(db: Database, tenantId: string, worker: DemoWorkerClient): Promise<{ products: number; images: number }> {
  const catalog = demoProducts()
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(products).where(eq(products.tenantId, tenantId))
  const created = (existing?.n ?? 0) === 0
  if (created) await insertCatalog(db, tenantId, catalog)

  const rows = await db
    .select({ id: products.id, slug: products.slug, images: sql<number>`(select count(*)::int from ${productImages} where ${productImages.productId} = ${products.id})` })
    .from(products)
    .where(and(eq(products.tenantId, tenantId), inArray(products.slug, catalog.map((p) => p.slug))))
  const bySlug = new Map(catalog.map((p) => [p.slug, p]))
  let images = 0
  for (const row of rows) {
    const item = bySlug.get(row.slug)
    if (!item || row.images > 0) continue
    const files = await Promise.all(Array.from({ length: IMAGES_PER_PRODUCT }, async (_, view) => ({ name: `${row.slug}-${view + 1}.png`, bytes: await renderDemoImage(item, view) })))
    await worker.upload(row.id, files, item.name)
    images += files.length
  }
  const skus = await db.select({ sku: variants.sku }).from(variants).where(eq(variants.tenantId, tenantId)).orderBy(variants.sku)
  await worker.stock(skus.map(({ sku }, i) => ({ sku, onHand: (i * 7) % 23 })))
  return { products: created ? catalog.length : 0, images }
}

/** A client of the Worker at `baseUrl`, signed in as the demo owner. */
export function demoWorkerClient(baseUrl: string, account: { email: string; password: string } = DEMO_ACCOUNT): DemoWorkerClient {
  let token: Promise<string> | undefined
  const signIn = async () => {
    const res = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: account.email, password: account.password }) })
    if (!res.ok) throw new Error(`demo sign-in failed: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { accessToken: string }).accessToken
  }
  return {
    async upload(productId, files, alt) {
      token ??= signIn()
      const form = new FormData()
      for (const file of files) form.append('file', new File([file.bytes], file.name, { type: 'image/png' }))
      form.append('alt', alt)
      const res = await fetch(`${baseUrl}/v1/products/${productId}/images`, { method: 'POST', headers: { authorization: `Bearer ${await token}` }, body: form })
      if (res.status !== 201) throw new Error(`demo image upload failed: ${res.status} ${await res.text()}`)
    },
    async stock(lines) {
      token ??= signIn()
      const post = async (path: string, body: unknown, idempotencyKey: string) => {
        const headers = { authorization: `Bearer ${await token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey }
        const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
        if (!res.ok) throw new Error(`demo stock (${path}) failed: ${res.status} ${await res.text()}`)
      }
      await post('/v1/inventory/skus', { skus: lines.map(({ sku }) => ({ sku, lowStockThreshold: 5 })) }, 'demo-skus-v1')
      await post('/v1/inventory/set', { reason: 'demo stock', lines: lines.map(({ sku, onHand }) => ({ sku, onHand })) }, 'demo-stock-v1')
    },
  }
}

/** The demo tenant's id; the tenant is created by `seedDemo` before the Worker starts. */
export async function demoTenantId(db: Database): Promise<string> {
  const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO_ACCOUNT.tenantSlug))
  if (!tenant) throw new Error('the demo tenant is missing: run seedDemo first')
  return tenant.id
}
