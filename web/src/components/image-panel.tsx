// The product editor's Images panel: drop or pick files to upload with per-file progress and errors, then a grid of
// the product's images with their indexing status, alt text, primary flag, delete and retry; polls while any is pending.
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { api } from '../api/client'
import { ApiError, errorMessage } from '../api/errors'
import type { Schemas } from '../api/schema'
import { t, type MessageKey } from '../i18n'
import { formatNumber } from '../i18n/format'
import { EmptyState, ErrorBanner } from './ui'
import { MediaImage } from './media-image'
import { uploadImage } from './upload'
import { useAction } from '../use-action'
import { dropZoneHandlers } from './drop-zone'

type Image = Schemas['ProductImage']

/** How often the list is read again while an image waits for the CLIP service. */
const POLL_MS = 2_000
/** Files sent at the same time; the rest wait their turn. */
const PARALLEL_UPLOADS = 2
const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif'
const STATUS_LABEL: Record<Image['status'], MessageKey> = { pending: 'images.status.pending', ready: 'images.status.ready', failed: 'images.status.failed' }
/** Indexing failure reasons are `code: technical detail`; the code is translated, the detail stays in the tooltip. */
const FAILURE_LABEL: Record<string, MessageKey> = {
  model_unavailable: 'images.failure.model_unavailable',
  queue_full: 'images.failure.queue_full',
  decode_failed: 'images.failure.decode_failed',
  unsupported_format: 'images.failure.unsupported_format',
  image_too_large: 'images.failure.image_too_large',
  invalid_image: 'images.failure.invalid_image',
  model_mismatch: 'images.failure.model_mismatch',
  image_missing: 'images.failure.image_missing',
  storage_error: 'images.failure.storage_error',
  internal: 'images.failure.internal',
}

/** The image is shown (its thumbnails exist) and only its search vector waits for the model, which retries on its own. */
function waitingForModel(image: Image): boolean {
  return image.status === 'failed' && (image.failureReason ?? '').startsWith('model_unavailable')
}

function failureText(reason: string | null): string {
  if (!reason) return t('images.noReason')
  const key = FAILURE_LABEL[reason.split(':')[0]?.trim() ?? '']
  return key ? t(key) : reason
}

interface Upload {
  key: string
  name: string
  percent: number
  state: 'waiting' | 'uploading' | 'done' | 'failed'
  error?: string
}

/** The stored images plus `added`, in display order, without duplicates. */
function merged(images: Image[] | undefined, added: Image[]): Image[] {
  const ids = new Set(added.map((image) => image.id))
  return [...(images ?? []).filter((image) => !ids.has(image.id)), ...added].sort((a, b) => a.position - b.position)
}

/** One image: preview, status, alt text saved on blur or Enter, and its actions. */
function ImageCard(props: {
  image: Image
  number: number
  onSaveAlt: (alt: string | null) => Promise<boolean>
  onPrimary: () => void
  onDelete: () => void
  onRetry: () => void
}) {
  const { image, number } = props
  const stored = image.alt ?? ''
  const [alt, setAlt] = useState(stored)
  const [note, setNote] = useState('')
  const sent = useRef(stored)
  const altId = useId()
  useEffect(() => {
    setAlt(stored)
    sent.current = stored
  }, [stored])

  const save = async () => {
    const value = alt.trim()
    if (value === sent.current) return
    sent.current = value
    setNote(t('images.saving'))
    const ok = await props.onSaveAlt(value || null)
    if (!ok) sent.current = stored
    setNote(ok ? t('images.saved') : '')
  }

  return (
    <li class="image-card card" data-image-id={image.id} aria-label={t('images.image', { number })}>
      <MediaImage path={image.thumbnails.small ?? image.url} alt={image.alt || t('images.image', { number })} />
      <div class="image-meta">
        {waitingForModel(image) ? (
          <span class="badge badge--pending">{t('images.status.waitingForModel')}</span>
        ) : (
          <span class={`badge badge--${image.status}`}>{t(STATUS_LABEL[image.status])}</span>
        )}
        {image.isPrimary ? <span class="badge badge--primary">{t('images.primary')}</span> : null}
        <small class="muted">
          {t('images.size', { width: image.width, height: image.height })}
        </small>
      </div>
      {image.status === 'failed' ? (
        <small class={waitingForModel(image) ? 'hint' : 'field-error'} title={image.failureReason ?? undefined}>
          {failureText(image.failureReason)}
        </small>
      ) : null}
      <div class="field">
        <label for={altId}>
          {t('images.altText')}
          <span class="visually-hidden"> {t('images.ofImage', { number })}</span>
        </label>
        <input
          id={altId}
          value={alt}
          maxLength={500}
          placeholder={t('images.altPlaceholder')}
          onInput={(e) => {
            setAlt(e.currentTarget.value)
            setNote('')
          }}
          onBlur={() => void save()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              void save()
            }
          }}
        />
        <small class="hint" role="status">
          {note}
        </small>
      </div>
      <div class="image-actions">
        {image.isPrimary ? null : (
          <button type="button" aria-label={t('images.makePrimaryNamed', { number })} onClick={props.onPrimary}>
            {t('images.makePrimary')}
          </button>
        )}
        {image.status === 'failed' ? (
          <button type="button" aria-label={t('images.retryNamed', { number })} onClick={props.onRetry}>
            {t('images.retry')}
          </button>
        ) : null}
        <button type="button" class="danger-link" aria-label={t('images.deleteNamed', { number })} onClick={props.onDelete}>
          {t('common.delete')}
        </button>
      </div>
    </li>
  )
}

/** Why one file was refused, naming the file for the codes about the file itself. */
function uploadError(error: unknown, name: string): string {
  if (error instanceof ApiError && error.code === 'unsupported_media_type') return t('images.upload.unsupported', { name })
  if (error instanceof ApiError && error.code === 'payload_too_large') return t('images.upload.tooLarge', { name })
  return errorMessage(error)
}

function uploadText(upload: Upload): string {
  if (upload.state === 'waiting') return t('images.upload.waiting')
  if (upload.state === 'failed') return t('images.upload.failed')
  if (upload.state === 'done') return t('images.upload.done', { percent: formatNumber(1, { style: 'percent' }) })
  return formatNumber(upload.percent / 100, { style: 'percent' })
}

/**
 * Uploads and images of one product; with `productId` null (a product not saved yet) the first upload calls
 * `ensureProduct`, which saves the draft and answers its id (null when it could not be saved).
 */
export function ImagePanel(props: { productId: string | null; ensureProduct?: () => Promise<string | null> }) {
  const { productId } = props
  const [images, setImages] = useState<Image[] | undefined>(undefined)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [generation, setGeneration] = useState(0)
  const [answers, setAnswers] = useState(0)
  const [uploads, setUploads] = useState<Upload[]>([])
  const [over, setOver] = useState(false)
  const [controller] = useState(() => new AbortController())
  const inputId = useId()
  const headingId = useId()
  const reload = () => setGeneration((n) => n + 1)
  /** Actions on an image re-read the list afterwards either way, so a poll in flight never undoes them. */
  const { error: actionError, act } = useAction(reload)

  useEffect(() => () => controller.abort(), [controller])

  useEffect(() => {
    let current = true
    if (productId === null) {
      setImages((list) => list ?? [])
      return
    }
    api.get('/v1/products/{id}/images', { path: { id: productId } }).then(
      (answer) => {
        if (!current) return
        setImages(answer.data)
        setLoadError(null)
        setAnswers((n) => n + 1)
      },
      (error: unknown) => {
        if (!current) return
        setLoadError(error)
        setAnswers((n) => n + 1)
      },
    )
    return () => {
      current = false
    }
  }, [productId, generation])

  const pending = images?.some((image) => image.status === 'pending') ?? false
  useEffect(() => {
    if (!pending) return
    const timer = setTimeout(reload, POLL_MS)
    return () => clearTimeout(timer)
  }, [pending, answers])

  const update = (key: string, patch: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)))

  const start = async (files: File[]) => {
    if (files.length === 0) return
    const id = productId ?? (await props.ensureProduct?.()) ?? null
    if (id === null) return
    const jobs = files.map((file) => ({ file, key: crypto.randomUUID() }))
    setUploads((list) => [...list, ...jobs.map(({ file, key }): Upload => ({ key, name: file.name || t('images.unnamed'), percent: 0, state: 'waiting' }))])
    const queue = [...jobs]
    const work = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { file, key } = job
        update(key, { state: 'uploading' })
        try {
          const stored = await uploadImage(id, file, (percent) => update(key, { percent }), controller.signal)
          update(key, { state: 'done', percent: 100 })
          setImages((list) => merged(list, stored))
          reload()
        } catch (error) {
          if (controller.signal.aborted) return
          update(key, { state: 'failed', error: uploadError(error, file.name || t('images.unnamed')) })
        }
      }
    }
    await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, work))
  }

  const replace = (updated: Image, others: (image: Image) => Image = (image) => image) =>
    setImages((list) => list?.map((image) => (image.id === updated.id ? updated : others(image))))
  const path = (image: Image) => ({ path: { id: image.productId, imageId: image.id } })

  const busy = uploads.some((u) => u.state === 'waiting' || u.state === 'uploading')
  return (
    <section class="image-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('images.title')}</h2>
      {productId === null ? <p class="hint">{t('productEditor.imagesSaveDraft')}</p> : null}
      <div class={`dropzone${over ? ' dropzone--over' : ''}`} {...dropZoneHandlers(setOver, (files) => void start(files))}>
        <p>{t('images.dropHere')}</p>
        <label class="button" for={inputId}>
          {t('images.add')}
        </label>
        <input
          id={inputId}
          class="visually-hidden"
          type="file"
          multiple
          accept={ACCEPT}
          onChange={(e) => {
            void start(Array.from(e.currentTarget.files ?? []))
            e.currentTarget.value = ''
          }}
        />
        <small class="hint">{t('images.hint', { px: 8000 })}</small>
      </div>
      {uploads.length > 0 ? (
        <div class="uploads">
          <ul class="upload-list" aria-label={t('images.uploads')}>
            {uploads.map((upload) => (
              <li key={upload.key} class={`upload upload--${upload.state}`}>
                <span class="upload-name">{upload.name}</span>
                <progress max={100} value={upload.percent} aria-label={t('images.uploadOf', { name: upload.name })} />
                <span class="upload-state">{uploadText(upload)}</span>
                {upload.error ? (
                  <small class="field-error upload-error" role="alert">
                    {upload.error}
                  </small>
                ) : null}
              </li>
            ))}
          </ul>
          {busy ? null : (
            <button type="button" class="link" onClick={() => setUploads([])}>
              {t('images.clearUploads')}
            </button>
          )}
        </div>
      ) : null}
      <ErrorBanner error={actionError ?? (images ? loadError : null)} />
      {images === undefined ? (
        loadError ? (
          <div>
            <ErrorBanner error={loadError} />
            <button type="button" onClick={reload}>
              {t('images.reload')}
            </button>
          </div>
        ) : (
          <div class="image-area image-thumb--loading" aria-busy="true" aria-label={t('images.loading')} />
        )
      ) : images.length === 0 ? (
        <div class="image-area">
          <EmptyState title={t('images.empty')}>
            <p>{t('images.emptyText')}</p>
          </EmptyState>
        </div>
      ) : (
        <ul class="image-grid" aria-label={t('images.productImages')}>
          {images.map((image, index) => (
            <ImageCard
              key={image.id}
              image={image}
              number={index + 1}
              onSaveAlt={(alt) => act(async () => replace(await api.patch('/v1/products/{id}/images/{imageId}', { ...path(image), body: { alt } })))}
              onPrimary={() =>
                void act(async () => replace(await api.patch('/v1/products/{id}/images/{imageId}', { ...path(image), body: { primary: true } }), (other) => ({ ...other, isPrimary: false })))
              }
              onRetry={() => void act(async () => replace(await api.post('/v1/products/{id}/images/{imageId}/reindex', path(image))))}
              onDelete={() => {
                if (!confirm(t('images.confirmDelete', { number: index + 1 }))) return
                void act(async () => {
                  await api.delete('/v1/products/{id}/images/{imageId}', path(image))
                  setImages((list) => list?.filter((other) => other.id !== image.id))
                })
              }}
            />
          ))}
        </ul>
      )}
    </section>
  )
}
