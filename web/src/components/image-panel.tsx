// The product editor's Images panel: drop or pick files to upload with per-file progress and errors, then a grid of
// the product's images with their indexing status, alt text, primary flag, delete and retry; polls while any is pending.
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { api } from '../api/client'
import { errorMessage } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner } from './ui'
import { t } from '../i18n'
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
const STATUS_LABEL: Record<Image['status'], string> = { pending: 'Pending', ready: 'Indexed', failed: 'Failed' }

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
    setNote('Saving…')
    const ok = await props.onSaveAlt(value || null)
    if (!ok) sent.current = stored
    setNote(ok ? 'Saved' : '')
  }

  return (
    <li class="image-card card" data-image-id={image.id} aria-label={`Image ${number}`}>
      <MediaImage path={image.thumbnails.small ?? image.url} alt={image.alt || `Image ${number}`} />
      <div class="image-meta">
        <span class={`badge badge--${image.status}`}>{STATUS_LABEL[image.status]}</span>
        {image.isPrimary ? <span class="badge badge--primary">Primary</span> : null}
        <small class="muted">
          {image.width}×{image.height}
        </small>
      </div>
      {image.status === 'failed' ? <small class="field-error">{image.failureReason ?? 'The indexing service gave no reason'}</small> : null}
      <div class="field">
        <label for={altId}>
          Alt text<span class="visually-hidden"> of image {number}</span>
        </label>
        <input
          id={altId}
          value={alt}
          maxLength={500}
          placeholder="Describe the image"
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
          <button type="button" aria-label={`Make image ${number} primary`} onClick={props.onPrimary}>
            Make primary
          </button>
        )}
        {image.status === 'failed' ? (
          <button type="button" aria-label={`Retry indexing image ${number}`} onClick={props.onRetry}>
            Retry indexing
          </button>
        ) : null}
        <button type="button" class="danger-link" aria-label={`Delete image ${number}`} onClick={props.onDelete}>
          Delete
        </button>
      </div>
    </li>
  )
}

function uploadText(upload: Upload): string {
  if (upload.state === 'waiting') return 'Waiting'
  if (upload.state === 'failed') return 'Failed'
  if (upload.state === 'done') return '100 % · uploaded'
  return `${upload.percent} %`
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
    setUploads((list) => [...list, ...jobs.map(({ file, key }): Upload => ({ key, name: file.name || 'Unnamed file', percent: 0, state: 'waiting' }))])
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
          update(key, { state: 'failed', error: errorMessage(error) })
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
      <h2 id={headingId}>Images</h2>
      {productId === null ? <p class="hint">{t('productEditor.imagesSaveDraft')}</p> : null}
      <div class={`dropzone${over ? ' dropzone--over' : ''}`} {...dropZoneHandlers(setOver, (files) => void start(files))}>
        <p>Drop images here, or</p>
        <label class="button" for={inputId}>
          Add images
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
        <small class="hint">JPEG, PNG, WebP or AVIF; each at most 10 MB and 8,000 px per side.</small>
      </div>
      {uploads.length > 0 ? (
        <div class="uploads">
          <ul class="upload-list" aria-label="Uploads">
            {uploads.map((upload) => (
              <li key={upload.key} class={`upload upload--${upload.state}`}>
                <span class="upload-name">{upload.name}</span>
                <progress max={100} value={upload.percent} aria-label={`Upload of ${upload.name}`} />
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
              Clear uploads
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
              Reload images
            </button>
          </div>
        ) : (
          <div class="image-area image-thumb--loading" aria-busy="true" aria-label="Loading images" />
        )
      ) : images.length === 0 ? (
        <div class="image-area">
          <EmptyState title="No images yet">
            <p>Drop files above or use Add images. The first image becomes the primary one.</p>
          </EmptyState>
        </div>
      ) : (
        <ul class="image-grid" aria-label="Product images">
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
                if (!confirm(`Delete image ${index + 1} for good, with its thumbnails?`)) return
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
