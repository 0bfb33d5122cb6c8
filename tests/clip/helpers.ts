// Shared fixtures for the CLIP tests: a generated tiny model, service configs and synthetic images.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { loadConfig } from '../../containers/clip/src/config'
import type { ClipConfig } from '../../containers/clip/src/config'
import { TEST_INTERNAL_TOKEN } from '../helpers/internal-token'
import { generateModel } from '../../scripts/model/generate'
import { TINY } from '../../scripts/model/sizes'

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `clip-${prefix}-`))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** Generates the tiny random-weight model (fp32 and q8) into a temporary directory. */
export function makeTinyModel(): { dir: string; remove: () => void } {
  const dir = tempDir('model')
  generateModel({ size: TINY, out: dir.path })
  return { dir: dir.path, remove: dir.remove }
}

/** The internal token of every test service (vitest.config.ts gives the Worker the same one). */
export { TEST_INTERNAL_TOKEN } from '../helpers/internal-token'

/** Service settings for tests: loopback, a free port, no downloads unless asked, the test internal token. */
export function testConfig(overrides: Partial<ClipConfig>): ClipConfig {
  return { ...loadConfig({}), port: 0, host: '127.0.0.1', allowDownload: false, threads: 1, internalToken: TEST_INTERNAL_TOKEN, ...overrides }
}

/** `init` with the internal token the service requires on every route but its probes. */
export function withToken(init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers)
  headers.set('X-Internal-Token', TEST_INTERNAL_TOKEN)
  return { ...init, headers }
}

type Rgb = [number, number, number]

/** An image whose pixels come from `colour(x, y)`, encoded as PNG (or JPEG with EXIF orientation). */
export async function paintedImage(
  width: number,
  height: number,
  colour: (x: number, y: number) => Rgb,
  format: 'png' | 'jpeg' | 'webp' = 'png',
  orientation?: number,
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(colour(x, y), (y * width + x) * 3)
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } })
  if (orientation !== undefined) image = image.withMetadata({ orientation })
  if (format === 'jpeg') return image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer()
  if (format === 'webp') return image.webp({ lossless: true }).toBuffer()
  return image.png().toBuffer()
}

/** A solid-colour PNG. */
export function solidImage(width: number, height: number, rgb: Rgb): Promise<Buffer> {
  return paintedImage(width, height, () => rgb)
}

/** Cosine similarity of two vectors. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    na += x * x
    nb += y * y
  }
  return dot / Math.sqrt(na * nb)
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2
  return Math.sqrt(sum)
}

/** Largest absolute element-wise difference. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)))
  return max
}
