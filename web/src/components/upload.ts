// Image bytes to and from the API with the session's token: uploads through XMLHttpRequest (fetch reports no upload
// progress) and media reads through fetch (an <img> cannot send the token a draft product's images need).
import { ApiError } from '../api/errors'
import type { Schemas } from '../api/schema'
import { currentAccessToken, refreshAccessToken } from '../api/session'

type Image = Schemas['ProductImage']

interface Answer {
  status: number
  body: unknown
}

const NETWORK_ERROR = { code: 'network', message: 'The API cannot be reached; check the connection and try again' }

/** Sends with the current token; on a 401 refreshes the session once and sends again, like the typed client. */
export async function withToken<T extends { status: number }>(attempt: (token: string | null) => Promise<T>): Promise<T> {
  const first = await attempt(currentAccessToken())
  if (first.status !== 401) return first
  const token = await refreshAccessToken()
  return token ? attempt(token) : first
}

function errorOf(answer: Answer): ApiError {
  const error = (answer.body as Partial<Schemas['Error']> | null)?.error
  return new ApiError(answer.status, error ?? { code: 'http_error', message: `The API answered ${answer.status}` })
}

function post(url: string, file: File, token: string | null, onProgress: (percent: number) => void, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const abort = () => xhr.abort()
    xhr.open('POST', url)
    xhr.responseType = 'json'
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(99, Math.floor((event.loaded / event.total) * 100)))
    }
    xhr.onload = () => {
      signal.removeEventListener('abort', abort)
      resolve({ status: xhr.status, body: xhr.response as unknown })
    }
    xhr.onerror = () => {
      signal.removeEventListener('abort', abort)
      reject(new ApiError(0, NETWORK_ERROR))
    }
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'))
    signal.addEventListener('abort', abort, { once: true })
    const form = new FormData()
    form.append('file', file)
    onProgress(0)
    xhr.send(form)
  })
}

/**
 * Uploads one file to `POST /v1/products/{id}/images`, reporting 0–100 % as it goes (100 once the API has answered
 * 201); resolves with the stored images, rejects with the API's error (415, 413, 400, ...) as an ApiError.
 */
export async function uploadImage(productId: string, file: File, onProgress: (percent: number) => void, signal: AbortSignal): Promise<Image[]> {
  const url = `/v1/products/${encodeURIComponent(productId)}/images`
  const answer = await withToken((token) => post(url, file, token, onProgress, signal))
  if (answer.status !== 201) throw errorOf(answer)
  onProgress(100)
  return (answer.body as { data: Image[] }).data
}

/** The bytes of a `/v1/media/...` path, read with the session's token (images of products that are not active need it). */
export async function fetchMedia(path: string, signal: AbortSignal): Promise<Blob> {
  const res = await withToken(async (token) => {
    try {
      return await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal })
    } catch (error) {
      if (signal.aborted) throw error
      throw new ApiError(0, NETWORK_ERROR)
    }
  })
  if (!res.ok) throw errorOf({ status: res.status, body: await res.json().catch(() => null) })
  return res.blob()
}
