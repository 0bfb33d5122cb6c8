// Where the index job reads originals and writes thumbnails: an object store interface, and its implementation over
// the Worker's media bridge (`/internal/media/<key>`, guarded by a shared token), which fronts the R2 bucket.

/** The two object operations the index job needs. */
export interface ObjectStore {
  /** The object's bytes, or null when there is no such object. */
  get(key: string): Promise<Uint8Array | null>
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
}

/** The store could not be reached or answered with an unexpected status; worth a retry. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreError'
  }
}

/** Path prefix of the Worker's media bridge routes (workers/routes/internal-media.ts). */
const MEDIA_BRIDGE_PATH = '/internal/media/'
/** Header that carries the shared secret. */
const INTERNAL_TOKEN_HEADER = 'X-Internal-Token'
/** One transfer of an original (at most 10 MB) or a thumbnail may take this long. */
const TRANSFER_TIMEOUT_MS = 30_000

/** Reads and writes R2 objects through the Worker (`MEDIA_BASE_URL`), authenticated by `INTERNAL_TOKEN`. */
export class MediaBridgeStore implements ObjectStore {
  private readonly base: string

  constructor(
    baseUrl: string,
    private readonly token: string,
  ) {
    this.base = baseUrl.replace(/\/+$/, '')
  }

  async get(key: string): Promise<Uint8Array | null> {
    const response = await this.send('GET', key)
    if (response.status === 404) {
      await response.body?.cancel()
      return null
    }
    await this.expectOk(response, 'GET', key)
    return new Uint8Array(await response.arrayBuffer())
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const response = await this.send('PUT', key, bytes, contentType)
    await this.expectOk(response, 'PUT', key)
    await response.body?.cancel()
  }

  private async send(method: 'GET' | 'PUT', key: string, body?: Uint8Array, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { [INTERNAL_TOKEN_HEADER]: this.token }
    if (contentType) headers['Content-Type'] = contentType
    try {
      return await fetch(`${this.base}${MEDIA_BRIDGE_PATH}${key}`, {
        method,
        headers,
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS),
      })
    } catch (error) {
      throw new StoreError(`${method} ${key} failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private async expectOk(response: Response, method: string, key: string): Promise<void> {
    if (response.ok) return
    const detail = (await response.text().catch(() => '')).slice(0, 200)
    throw new StoreError(`${method} ${key} answered ${response.status}${detail ? `: ${detail}` : ''}`)
  }
}
