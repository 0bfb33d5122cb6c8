// Recognises uploaded images by their magic bytes (never by name or declared type) and reads their pixel
// dimensions from the headers alone, so the Worker can validate an upload without decoding it.

/** The formats the catalog accepts. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif'

/** The Content-Type stored with each accepted format. */
export const CONTENT_TYPES: Record<ImageFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' }

/**
 * Most pixels (width × height) an image may have, for the Worker's upload check and the CLIP service's decoder alike
 * (sharp's `limitInputPixels`): one cap, so nothing the Worker accepts is refused at indexing. 50 MP bounds a decoded
 * RGBA frame to 200 MB in the service, a guard against decompression bombs.
 */
export const MAX_IMAGE_PIXELS = 50_000_000

/** Width and height in pixels. */
export interface Dimensions {
  width: number
  height: number
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const AVIF_BRANDS = new Set(['avif', 'avis'])
/** JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic); C4, C8 and CC are other segments. */
const JPEG_SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])
/** JPEG markers without a length field: TEM and the restart markers RST0–RST7. */
const JPEG_STANDALONE_MARKERS = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7])
const JPEG_START_OF_SCAN = 0xda
/** ISOBMFF container boxes whose children may hold the AVIF `ispe` (image spatial extents) property. */
const AVIF_CONTAINER_BOXES: Record<string, number> = { meta: 4, iprp: 0, ipco: 0 }

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false
  const end = Math.min(view(bytes).getUint32(0), bytes.length)
  if (AVIF_BRANDS.has(ascii(bytes, 8, 12))) return true
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    if (AVIF_BRANDS.has(ascii(bytes, offset, offset + 4))) return true
  }
  return false
}

/** The format of an encoded image, or undefined when it is not JPEG, PNG, WebP or AVIF (SVG, archives, anything else). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp'
  if (isAvif(bytes)) return 'avif'
  return undefined
}

function pngDimensions(bytes: Uint8Array): Dimensions | undefined {
  if (bytes.length < 24 || ascii(bytes, 12, 16) !== 'IHDR') return undefined
  return { width: view(bytes).getUint32(16), height: view(bytes).getUint32(20) }
}

function jpegDimensions(bytes: Uint8Array): Dimensions | undefined {
  const data = view(bytes)
  let offset = 2
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined
    const marker = bytes[offset + 1] ?? 0
    if (marker === 0xff) {
      offset += 1
      continue
    }
    if (JPEG_STANDALONE_MARKERS.has(marker)) {
      offset += 2
      continue
    }
    if (marker === JPEG_START_OF_SCAN) return undefined
    const length = data.getUint16(offset + 2)
    if (JPEG_SOF_MARKERS.has(marker)) {
      if (offset + 9 > bytes.length) return undefined
      return { height: data.getUint16(offset + 5), width: data.getUint16(offset + 7) }
    }
    offset += 2 + length
  }
  return undefined
}

function webpDimensions(bytes: Uint8Array): Dimensions | undefined {
  const chunk = ascii(bytes, 12, 16)
  const data = view(bytes)
  if (chunk === 'VP8 ' && bytes.length >= 30 && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return { width: data.getUint16(26, true) & 0x3fff, height: data.getUint16(28, true) & 0x3fff }
  }
  if (chunk === 'VP8L' && bytes.length >= 25 && bytes[20] === 0x2f) {
    const bits = data.getUint32(21, true)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8X' && bytes.length >= 30) {
    const uint24 = (at: number) => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)
    return { width: uint24(24) + 1, height: uint24(27) + 1 }
  }
  return undefined
}

/** Walks ISOBMFF boxes in [start, end) and returns the largest `ispe` found under meta/iprp/ipco. */
function avifExtents(bytes: Uint8Array, start: number, end: number): Dimensions | undefined {
  const data = view(bytes)
  let best: Dimensions | undefined
  let offset = start
  while (offset + 8 <= end) {
    const size = data.getUint32(offset)
    const type = ascii(bytes, offset + 4, offset + 8)
    const boxEnd = size === 0 ? end : offset + size
    if (size !== 0 && size < 8) return best
    const childOffset = AVIF_CONTAINER_BOXES[type]
    const found =
      type === 'ispe' && offset + 20 <= bytes.length
        ? { width: data.getUint32(offset + 12), height: data.getUint32(offset + 16) }
        : childOffset !== undefined
          ? avifExtents(bytes, offset + 8 + childOffset, Math.min(boxEnd, end))
          : undefined
    if (found && (!best || found.width * found.height > best.width * best.height)) best = found
    offset = boxEnd
  }
  return best
}

/** Reads the pixel dimensions from the image's header; undefined when the header is truncated or malformed. */
export function imageDimensions(bytes: Uint8Array, format: ImageFormat): Dimensions | undefined {
  const found =
    format === 'png' ? pngDimensions(bytes) : format === 'jpeg' ? jpegDimensions(bytes) : format === 'webp' ? webpDimensions(bytes) : avifExtents(bytes, 0, bytes.length)
  return found && found.width > 0 && found.height > 0 ? found : undefined
}
