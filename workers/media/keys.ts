// Where image bytes live in R2: every object of an image sits under `t/<tenantId>/images/<imageId>/`, so a tenant's
// media shares one prefix and an image's original and thumbnails are found (and deleted) together.

/** Object names under an image's prefix: the upload, and the thumbnails the CLIP service writes next to it. */
export const MEDIA_FILES = { original: 'original', small: 'thumb-300.webp', large: 'w1200.webp' } as const
export type MediaFile = (typeof MEDIA_FILES)[keyof typeof MEDIA_FILES]
export const MEDIA_FILE_NAMES = Object.values(MEDIA_FILES) as [MediaFile, ...MediaFile[]]

/** The R2 prefix of one image's objects. */
export function imagePrefix(tenantId: string, imageId: string): string {
  return `t/${tenantId}/images/${imageId}/`
}

/** The R2 key of one of an image's objects. */
export function mediaKey(tenantId: string, imageId: string, file: MediaFile): string {
  return `${imagePrefix(tenantId, imageId)}${file}`
}

/** Every R2 key an image may own (original and thumbnails), for deletes. */
export function allMediaKeys(tenantId: string, imageId: string): string[] {
  return MEDIA_FILE_NAMES.map((file) => mediaKey(tenantId, imageId, file))
}

/** The API path that serves an R2 key (`GET /v1/media/...`). */
export function mediaUrl(key: string): string {
  return `/v1/media/${key}`
}
