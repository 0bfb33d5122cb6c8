// The two WebP renditions shown by storefronts and the admin UI: a 300×300 square crop and a 1200 px wide view.
import sharp from 'sharp'
import { MAX_IMAGE_PIXELS } from '../config'

/** Side of the square thumbnail. */
const SMALL_SIDE = 300
/** Width of the large rendition; smaller originals keep their width. */
const LARGE_WIDTH = 1200
const WEBP_QUALITY = 82

export interface Thumbnails {
  small: Buffer
  large: Buffer
}

/** Decodes an original once (EXIF orientation applied) and encodes both renditions as WebP. */
export async function makeThumbnails(original: Uint8Array): Promise<Thumbnails> {
  const decoded = sharp(original, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).autoOrient()
  const [small, large] = await Promise.all([
    decoded.clone().resize(SMALL_SIDE, SMALL_SIDE, { fit: 'cover' }).webp({ quality: WEBP_QUALITY }).toBuffer(),
    decoded
      .clone()
      .resize({ width: LARGE_WIDTH, withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .toBuffer(),
  ])
  return { small, large }
}
