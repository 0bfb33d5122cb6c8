// Image bytes built in code for the upload tests: decodable PNG (any size, one colour) and greyscale JPEG, known 1×1
// WebP files, header-only WebP/AVIF of any size, and impostors (a ZIP, an SVG) for the magic-byte checks.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function adler32(bytes: Uint8Array): number {
  let a = 1
  let b = 0
  for (const byte of bytes) {
    a = (a + byte) % 65521
    b = (b + a) % 65521
  }
  return ((b << 16) | a) >>> 0
}

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)))
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0))
  let offset = 0
  for (const a of arrays) {
    out.set(a, offset)
    offset += a.length
  }
  return out
}

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff]
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]
const text = (s: string) => [...s].map((ch) => ch.charCodeAt(0))

/** zlib stream of stored (uncompressed) deflate blocks: valid for any decoder, no compressor needed. */
function zlibStored(data: Uint8Array): Uint8Array {
  const MAX_STORED_BLOCK = 65_535
  const blocks: (Uint8Array | number[])[] = [[0x78, 0x01]]
  for (let offset = 0; offset < data.length || offset === 0; offset += MAX_STORED_BLOCK) {
    const chunk = data.subarray(offset, offset + MAX_STORED_BLOCK)
    const last = offset + MAX_STORED_BLOCK >= data.length ? 1 : 0
    blocks.push([last, chunk.length & 0xff, chunk.length >>> 8, ~chunk.length & 0xff, (~chunk.length >>> 8) & 0xff], chunk)
    if (data.length === 0) break
  }
  blocks.push(u32(adler32(data)))
  return concat(blocks)
}

function pngChunk(type: string, data: Uint8Array | number[]): Uint8Array {
  const body = concat([text(type), data])
  return concat([u32(body.length - 4), body, u32(crc32(body))])
}

/** A decodable RGB PNG of one colour. */
export function pngImage(width: number, height: number, rgb: [number, number, number] = [200, 40, 40]): Uint8Array {
  const row = concat([[0], ...Array.from({ length: width }, () => rgb)])
  const raw = concat(Array.from({ length: height }, () => row))
  return concat([
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    pngChunk('IHDR', [...u32(width), ...u32(height), 8, 2, 0, 0, 0]),
    pngChunk('IDAT', zlibStored(raw)),
    pngChunk('IEND', []),
  ])
}

/** A decodable mid-grey baseline JPEG: one component, every 8×8 block DC 0 with an immediate end-of-block. */
export function jpegImage(width: number, height: number): Uint8Array {
  const oneCodeTable = (tableClass: number) => [0xff, 0xc4, ...u16(20), tableClass, 1, ...Array<number>(15).fill(0), 0x00]
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8)
  const bits = blocks * 2
  const scan = new Uint8Array(Math.ceil(bits / 8))
  if (bits % 8 !== 0) scan[scan.length - 1] = 0xff >>> bits % 8
  return concat([
    [0xff, 0xd8],
    [0xff, 0xe0, ...u16(16), ...text('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xdb, ...u16(67), 0, ...Array<number>(64).fill(1)],
    [0xff, 0xc0, ...u16(11), 8, ...u16(height), ...u16(width), 1, 1, 0x11, 0],
    oneCodeTable(0x00),
    oneCodeTable(0x10),
    [0xff, 0xda, ...u16(8), 1, 1, 0x00, 0, 63, 0],
    scan,
    [0xff, 0xd9],
  ])
}

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
/** A decodable 1×1 lossy WebP (VP8). */
export const WEBP_LOSSY_1X1 = fromBase64('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA')
/** A decodable 1×1 lossless WebP (VP8L). */
export const WEBP_LOSSLESS_1X1 = fromBase64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==')

/** The header of an extended WebP (VP8X) declaring a canvas size; what the Worker reads, not a decodable image. */
export function webpHeader(width: number, height: number): Uint8Array {
  const uint24 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff]
  const vp8x = [...text('VP8X'), ...u32le(10), 0, 0, 0, 0, ...uint24(width - 1), ...uint24(height - 1)]
  return concat([text('RIFF'), u32le(4 + vp8x.length), text('WEBP'), vp8x])
}

function box(type: string, ...children: (Uint8Array | number[])[]): Uint8Array {
  const body = concat(children)
  return concat([u32(8 + body.length), text(type), body])
}

/** The boxes of an AVIF file up to its `ispe` property (ftyp, meta/iprp/ipco/ispe); not a decodable image. */
export function avifHeader(width: number, height: number): Uint8Array {
  const ispe = box('ispe', [0, 0, 0, 0], u32(width), u32(height))
  const meta = box('meta', [0, 0, 0, 0], box('hdlr', [0, 0, 0, 0, 0, 0, 0, 0], text('pict'), new Uint8Array(13)), box('iprp', box('ipco', ispe)))
  return concat([box('ftyp', text('avif'), u32(0), text('mif1'), text('miaf')), meta])
}

/** The start of a ZIP archive (local file header), as a file renamed to .jpg would begin. */
export const ZIP_BYTES = concat([[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0], new Uint8Array(40)])
/** A small SVG document. */
export const SVG_BYTES = Uint8Array.from(text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'))
