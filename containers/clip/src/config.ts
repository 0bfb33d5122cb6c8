// Service settings read from the environment, with the platform limits and tunables as named constants.
import { availableParallelism } from 'node:os'
import { z } from 'zod'

export const DEFAULT_PORT = 8790
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_MODEL_DIR = './models/clip-vit-base-patch16'
export const DEFAULT_HUB_URL = 'https://huggingface.co'
export const MODEL_REPO = 'Xenova/clip-vit-base-patch16'
/** One image may not exceed this many bytes (413 beyond). */
export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024
/** Decoded pixel budget per image (413 beyond): the Worker's upload cap, shared so both always agree. */
export { MAX_IMAGE_PIXELS } from '../../../workers/media/formats'
export const DEFAULT_MAX_IMAGES_PER_REQUEST = 32
export const DEFAULT_MAX_TEXTS_PER_REQUEST = 64
export const DEFAULT_MAX_TEXT_CHARS = 2_000
/** On CPU a larger batch adds little throughput (see the benchmark) while activation memory grows per image. */
export const DEFAULT_MAX_BATCH = 4
/**
 * A lone request runs at once: on CPU one batch already uses every core, so waiting for companions only adds latency
 * (5 ms cost a single q8 image about 6 % of its throughput); requests that arrive while a batch runs form the next batch.
 */
export const DEFAULT_MAX_WAIT_MS = 0
export const DEFAULT_MAX_QUEUE = 256
/** Index jobs running at once; each waits mostly on the image queue, storage and Postgres. */
export const DEFAULT_INDEX_CONCURRENCY = 2
/** Index jobs waiting for a slot before POST /index answers 429. */
export const DEFAULT_INDEX_MAX_QUEUE = 1_000
/** Delay before each retry of a failed index job; after the last one the image is marked failed. */
export const DEFAULT_INDEX_RETRY_DELAYS_MS = [1_000, 4_000, 16_000]

export type Dtype = 'fp32' | 'q8'

/** Settings of the indexing job (POST /index); present only when its database and media bridge are configured. */
export interface IndexConfig {
  databaseUrl: string
  databaseDriver: string
  /** Base URL of the Worker that serves the media bridge (`/internal/media/...`). */
  mediaBaseUrl: string
  /** Shared secret the bridge expects in `X-Internal-Token`. */
  internalToken: string
  concurrency: number
  maxQueue: number
  retryDelaysMs: number[]
  /** Once the model is up, queue the images still waiting for an embedding (pending, or failed for want of the model). */
  requeueOnStart: boolean
}

export interface ClipConfig {
  port: number
  host: string
  modelDir: string
  dtype: Dtype
  allowDownload: boolean
  hubUrl: string
  threads: number
  maxBatch: number
  maxWaitMs: number
  maxQueue: number
  maxImageBytes: number
  maxImagesPerRequest: number
  maxTextsPerRequest: number
  maxTextChars: number
  /**
   * Shared secret (`INTERNAL_TOKEN`, the media bridge's) every caller sends in `X-Internal-Token`; without it every
   * route but /healthz and /readyz answers 401, so an unconfigured service embeds nothing for anyone.
   */
  internalToken: string | undefined
  index: IndexConfig | undefined
}

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
const count = z.coerce.number().int().positive()
/** An optional setting where an empty value means unset, as shells and process managers often pass it. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

const envSchema = z.object({
  CLIP_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  CLIP_HOST: z.string().min(1).default(DEFAULT_HOST),
  CLIP_MODEL_DIR: z.string().min(1).default(DEFAULT_MODEL_DIR),
  CLIP_DTYPE: z.enum(['fp32', 'q8']).default('fp32'),
  CLIP_ALLOW_DOWNLOAD: flag.optional(),
  CI: flag.optional(),
  CLIP_HUB_URL: z.url().default(DEFAULT_HUB_URL),
  CLIP_THREADS: count.optional(),
  CLIP_MAX_BATCH: count.default(DEFAULT_MAX_BATCH),
  CLIP_MAX_WAIT_MS: z.coerce.number().min(0).default(DEFAULT_MAX_WAIT_MS),
  CLIP_MAX_QUEUE: count.default(DEFAULT_MAX_QUEUE),
  CLIP_MAX_IMAGE_BYTES: count.default(DEFAULT_MAX_IMAGE_BYTES),
  CLIP_MAX_IMAGES_PER_REQUEST: count.default(DEFAULT_MAX_IMAGES_PER_REQUEST),
  CLIP_MAX_TEXTS_PER_REQUEST: count.default(DEFAULT_MAX_TEXTS_PER_REQUEST),
  CLIP_MAX_TEXT_CHARS: count.default(DEFAULT_MAX_TEXT_CHARS),
  DATABASE_URL: optional(z.string()),
  DATABASE_DRIVER: z.string().min(1).default('auto'),
  MEDIA_BASE_URL: optional(z.url()),
  INTERNAL_TOKEN: optional(z.string().min(16)),
  CLIP_INDEX_CONCURRENCY: count.default(DEFAULT_INDEX_CONCURRENCY),
  CLIP_INDEX_MAX_QUEUE: count.default(DEFAULT_INDEX_MAX_QUEUE),
  CLIP_INDEX_REQUEUE_ON_START: z.enum(['true', 'false']).default('true'),
  CLIP_INDEX_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma-separated list of milliseconds')
    .transform((list) => list.split(',').map(Number))
    .optional(),
})

type ParsedEnv = z.infer<typeof envSchema>

const INDEX_SETTINGS = ['DATABASE_URL', 'MEDIA_BASE_URL', 'INTERNAL_TOKEN'] as const

function indexConfig(e: ParsedEnv): IndexConfig | undefined {
  const missing = INDEX_SETTINGS.filter((name) => !e[name])
  if (!e.DATABASE_URL && !e.MEDIA_BASE_URL) return undefined
  if (!e.DATABASE_URL || !e.MEDIA_BASE_URL || !e.INTERNAL_TOKEN) {
    throw new Error(`invalid CLIP service configuration: indexing needs ${missing.join(', ')} as well`)
  }
  return {
    databaseUrl: e.DATABASE_URL,
    databaseDriver: e.DATABASE_DRIVER,
    mediaBaseUrl: e.MEDIA_BASE_URL,
    internalToken: e.INTERNAL_TOKEN,
    concurrency: e.CLIP_INDEX_CONCURRENCY,
    maxQueue: e.CLIP_INDEX_MAX_QUEUE,
    retryDelaysMs: e.CLIP_INDEX_RETRY_DELAYS_MS ?? DEFAULT_INDEX_RETRY_DELAYS_MS,
    requeueOnStart: e.CLIP_INDEX_REQUEUE_ON_START === 'true',
  }
}

/** Parses the CLIP_* environment variables and the indexing settings (throws a readable error on a bad value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ClipConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`invalid CLIP service configuration: ${problems}`)
  }
  const e = parsed.data
  const largestRequest = Math.max(e.CLIP_MAX_IMAGES_PER_REQUEST, e.CLIP_MAX_TEXTS_PER_REQUEST)
  if (e.CLIP_MAX_QUEUE < largestRequest) {
    throw new Error(
      `invalid CLIP service configuration: CLIP_MAX_QUEUE must hold the largest request (${largestRequest})`,
    )
  }
  return {
    port: e.CLIP_PORT,
    host: e.CLIP_HOST,
    modelDir: e.CLIP_MODEL_DIR,
    dtype: e.CLIP_DTYPE,
    allowDownload: e.CLIP_ALLOW_DOWNLOAD ?? !e.CI,
    hubUrl: e.CLIP_HUB_URL.replace(/\/+$/, ''),
    threads: e.CLIP_THREADS ?? availableParallelism(),
    maxBatch: e.CLIP_MAX_BATCH,
    maxWaitMs: e.CLIP_MAX_WAIT_MS,
    maxQueue: e.CLIP_MAX_QUEUE,
    maxImageBytes: e.CLIP_MAX_IMAGE_BYTES,
    maxImagesPerRequest: e.CLIP_MAX_IMAGES_PER_REQUEST,
    maxTextsPerRequest: e.CLIP_MAX_TEXTS_PER_REQUEST,
    maxTextChars: e.CLIP_MAX_TEXT_CHARS,
    internalToken: e.INTERNAL_TOKEN,
    index: indexConfig(e),
  }
}
