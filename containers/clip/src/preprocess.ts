// CLIP image preprocessing: orient, flatten, shortest side to 224 (bicubic), center crop, normalise to CHW floats.
import sharp from 'sharp'
import { z } from 'zod'
import { MAX_IMAGE_PIXELS } from './config'
import { ApiError } from './errors'

/** Transparent pixels are composited on white, the page colour product cut-outs are shown on. */
export const ALPHA_BACKGROUND = '#ffffff'
export const RGB_CHANNELS = 3
/** Each image is decoded once, so libvips' operation cache would only hold memory. */
sharp.cache(false)
/**
 * One libvips thread per image: images of a request are decoded in parallel anyway (one libuv thread each), and
 * libvips' extra workers stay busy after a pipeline returns, taking cores from the inference that starts right then
 * (q8 ViT-B/16 at one image per request ran 71 ms alone, 132 ms behind a decode with two libvips threads).
 */
sharp.concurrency(1)

/** Longer side over shorter side; beyond it the resized image would be huge and the crop meaningless. */
export const MAX_ASPECT_RATIO = 20

const sizeSchema = z.union([
  z.number().int().positive(),
  z.object({ shortest_edge: z.number().int().positive() }).transform((s) => s.shortest_edge),
  z
    .object({ height: z.number().int().positive(), width: z.number().int().positive() })
    .transform((s) => Math.min(s.height, s.width)),
])
const cropSchema = z.union([
  z
    .number()
    .int()
    .positive()
    .transform((n) => ({ height: n, width: n })),
  z.object({ height: z.number().int().positive(), width: z.number().int().positive() }),
])
const triple = z.tuple([z.number(), z.number(), z.number()])

const preprocessorSchema = z
  .object({
    size: sizeSchema,
    crop_size: cropSchema.optional(),
    image_mean: triple,
    image_std: triple,
    rescale_factor: z
      .number()
      .positive()
      .default(1 / 255),
  })
  .refine((c) => !c.crop_size || (c.crop_size.height <= c.size && c.crop_size.width <= c.size), {
    message: 'crop_size must not exceed size',
  })

export interface PreprocessorConfig {
  shortestEdge: number
  cropHeight: number
  cropWidth: number
  mean: [number, number, number]
  std: [number, number, number]
  rescale: number
}

/** Reads a Hugging Face preprocessor_config.json (CLIPImageProcessor) into the values the pipeline uses. */
export function parsePreprocessorConfig(json: unknown): PreprocessorConfig {
  const c = preprocessorSchema.parse(json)
  const crop = c.crop_size ?? { height: c.size, width: c.size }
  return {
    shortestEdge: c.size,
    cropHeight: crop.height,
    cropWidth: crop.width,
    mean: c.image_mean,
    std: c.image_std,
    rescale: c.rescale_factor,
  }
}

/** Output size of CLIP's resize: the shortest side becomes `edge`, the other keeps the aspect ratio (floored). */
export function resizedSize(width: number, height: number, edge: number): { width: number; height: number } {
  return width <= height
    ? { width: edge, height: Math.floor((edge * height) / width) }
    : { width: Math.floor((edge * width) / height), height: edge }
}

function decodeError(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : String(error)
  if (/pixel limit/i.test(message)) {
    return new ApiError(413, 'image_too_large', `image has more than ${MAX_IMAGE_PIXELS} pixels`)
  }
  return new ApiError(422, 'invalid_image', 'image could not be decoded', { reason: message })
}

/**
 * Decodes one encoded image into CLIP's crop: oriented, flattened on white, resized and center-cropped, as interleaved
 * RGB bytes (cropHeight × cropWidth × 3). Queued images wait in this form, a quarter of their float size.
 */
export async function cropImage(bytes: Uint8Array, config: PreprocessorConfig): Promise<Uint8Array> {
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' } as const
  try {
    const metadata = await sharp(bytes, options).metadata()
    const { width, height } = metadata.autoOrient
    if (Math.max(width, height) > MAX_ASPECT_RATIO * Math.min(width, height)) {
      throw new ApiError(422, 'invalid_image', `aspect ratio exceeds ${MAX_ASPECT_RATIO}:1`)
    }
    const target = resizedSize(width, height, config.shortestEdge)
    const { data, info } = await sharp(bytes, options)
      .autoOrient()
      .resize(target.width, target.height, { fit: 'fill', kernel: 'cubic', fastShrinkOnLoad: false })
      .extract({
        left: Math.floor((target.width - config.cropWidth) / 2),
        top: Math.floor((target.height - config.cropHeight) / 2),
        width: config.cropWidth,
        height: config.cropHeight,
      })
      .flatten({ background: ALPHA_BACKGROUND })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== RGB_CHANNELS) throw new Error(`decoded ${info.channels} channels`)
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  } catch (error) {
    throw error instanceof ApiError ? error : decodeError(error)
  }
}

/** Values one image takes in CLIP's input (and bytes in its crop): 3 × cropHeight × cropWidth. */
export function pixelCount(config: PreprocessorConfig): number {
  return RGB_CHANNELS * config.cropHeight * config.cropWidth
}

/** Writes a crop's normalised channels-first values into `out` from `offset` (one image of a batch tensor). */
export function normalizeCrop(rgb: Uint8Array, config: PreprocessorConfig, out = new Float32Array(pixelCount(config)), offset = 0): Float32Array {
  const plane = config.cropHeight * config.cropWidth
  for (let channel = 0; channel < RGB_CHANNELS; channel++) {
    const mean = config.mean[channel] as number
    const std = config.std[channel] as number
    const start = offset + channel * plane
    for (let i = 0; i < plane; i++) {
      out[start + i] = ((rgb[i * RGB_CHANNELS + channel] as number) * config.rescale - mean) / std
    }
  }
  return out
}
