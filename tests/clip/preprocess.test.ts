// Image preprocessing against pixel values computed independently from CLIP's published constants.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cropImage, normalizeCrop, parsePreprocessorConfig, resizedSize, type PreprocessorConfig } from '../../containers/clip/src/preprocess'
import { sniffImageFormat } from '../../workers/media/formats'
import { paintedImage, solidImage } from './helpers'

const MEAN = [0.48145466, 0.4578275, 0.40821073]
const STD = [0.26862954, 0.26130258, 0.27577711]
const SIZE = 224
const PLANE = SIZE * SIZE
const config = parsePreprocessorConfig({
  size: { shortest_edge: SIZE },
  crop_size: { height: SIZE, width: SIZE },
  image_mean: MEAN,
  image_std: STD,
})

const expected = (channel: number, value: number): number =>
  (value / 255 - (MEAN[channel] as number)) / (STD[channel] as number)
const at = (pixels: Float32Array, channel: number, x: number, y: number): number =>
  pixels[channel * PLANE + y * SIZE + x] as number
/** The whole preprocessing as the service runs it: the crop queued, then normalised into the batch tensor. */
const preprocessImage = async (bytes: Uint8Array, settings: PreprocessorConfig): Promise<Float32Array> =>
  normalizeCrop(await cropImage(bytes, settings), settings)

describe('image preprocessing', () => {
  it('maps a solid colour of any size to CLIP-normalised constants', async () => {
    const pixels = await preprocessImage(await solidImage(300, 200, [200, 100, 50]), config)
    expect(pixels.length).toBe(3 * PLANE)
    ;[200, 100, 50].forEach((value, channel) => {
      const plane = pixels.subarray(channel * PLANE, (channel + 1) * PLANE)
      expect(Math.min(...plane)).toBeCloseTo(expected(channel, value), 5)
      expect(Math.max(...plane)).toBeCloseTo(expected(channel, value), 5)
    })
    expect(at(pixels, 0, 0, 0)).toBeCloseTo(1.1274, 3)
  })

  it('center-crops the long side without resampling when the short side is already 224', async () => {
    const gradient = await paintedImage(448, SIZE, (x, y) => [Math.floor(x / 2), y, 255 - Math.floor(x / 2)])
    const pixels = await preprocessImage(gradient, config)
    for (const [x, y] of [
      [0, 0],
      [10, 20],
      [223, 223],
      [100, 5],
    ] as const) {
      const sourceX = x + 112
      expect(at(pixels, 0, x, y)).toBeCloseTo(expected(0, Math.floor(sourceX / 2)), 5)
      expect(at(pixels, 1, x, y)).toBeCloseTo(expected(1, y), 5)
      expect(at(pixels, 2, x, y)).toBeCloseTo(expected(2, 255 - Math.floor(sourceX / 2)), 5)
    }
  })

  it('resizes the shortest side to 224 and keeps the centre of a portrait image', async () => {
    const portrait = await paintedImage(300, 600, (_x, y) => (y < 300 ? [255, 0, 0] : [0, 0, 255]))
    const pixels = await preprocessImage(portrait, config)
    expect(at(pixels, 0, 5, 0)).toBeCloseTo(expected(0, 255), 5)
    expect(at(pixels, 2, 5, 0)).toBeCloseTo(expected(2, 0), 5)
    expect(at(pixels, 0, 5, 223)).toBeCloseTo(expected(0, 0), 5)
    expect(at(pixels, 2, 5, 223)).toBeCloseTo(expected(2, 255), 5)
  })

  it('applies the EXIF orientation before resizing', async () => {
    const sideways = await paintedImage(300, 200, (x) => (x < 150 ? [255, 0, 0] : [0, 0, 255]), 'jpeg', 6)
    const pixels = await preprocessImage(sideways, config)
    const tolerance = 8 / 255 / STD[0]!
    expect(Math.abs(at(pixels, 0, 0, 0) - expected(0, 255))).toBeLessThan(tolerance)
    expect(Math.abs(at(pixels, 0, 223, 0) - expected(0, 255))).toBeLessThan(tolerance)
    expect(Math.abs(at(pixels, 2, 0, 223) - expected(2, 255))).toBeLessThan(tolerance)
    expect(Math.abs(at(pixels, 0, 0, 223) - expected(0, 0))).toBeLessThan(tolerance)
  })

  it('composites transparency on white', async () => {
    const transparent = await sharp({
      create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer()
    const pixels = await preprocessImage(transparent, config)
    ;[0, 1, 2].forEach((channel) => expect(at(pixels, channel, 112, 112)).toBeCloseTo(expected(channel, 255), 5))
  })

  it('turns greyscale into three equal channels', async () => {
    const grey = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .greyscale()
      .png()
      .toBuffer()
    const pixels = await preprocessImage(grey, config)
    ;[0, 1, 2].forEach((channel) => expect(at(pixels, channel, 3, 3)).toBeCloseTo(expected(channel, 90), 5))
  })

  it('rejects undecodable bytes and extreme aspect ratios with 422', async () => {
    const truncated = (await solidImage(64, 64, [1, 2, 3])).subarray(0, 40)
    await expect(preprocessImage(truncated, config)).rejects.toMatchObject({ status: 422, code: 'invalid_image' })
    await expect(preprocessImage(await solidImage(1000, 10, [1, 2, 3]), config)).rejects.toMatchObject({ status: 422 })
  })

  it('computes the resize target as CLIP does (floored long side)', () => {
    expect(resizedSize(300, 200, SIZE)).toEqual({ width: 336, height: SIZE })
    expect(resizedSize(333, 500, SIZE)).toEqual({ width: SIZE, height: 336 })
  })
})

describe('sniffImageFormat', () => {
  it('recognises JPEG, PNG, WebP and AVIF by magic bytes and nothing else', async () => {
    const rgb = [9, 9, 9] as [number, number, number]
    expect(sniffImageFormat(await paintedImage(8, 8, () => rgb, 'jpeg'))).toBe('jpeg')
    expect(sniffImageFormat(await paintedImage(8, 8, () => rgb, 'png'))).toBe('png')
    expect(sniffImageFormat(await paintedImage(8, 8, () => rgb, 'webp'))).toBe('webp')
    const avif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#123456' } })
      .avif()
      .toBuffer()
    expect(sniffImageFormat(avif)).toBe('avif')
    expect(sniffImageFormat(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined()
    expect(sniffImageFormat(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0))).toBeUndefined()
    expect(sniffImageFormat(new Uint8Array())).toBeUndefined()
  })
})
