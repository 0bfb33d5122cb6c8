// The embedding pipeline as plain functions: model lifecycle, validation, preprocessing and batched inference.
import type { ClipConfig } from './config'
import { MODEL_REPO } from './config'
import { ApiError } from './errors'
import { downloadModelFiles, missingFiles, stderrProgress } from './hub'
import { sniffImageFormat } from '../../../workers/media/formats'
import { MicroBatcher, QueueFullError } from './batcher'
import type { Metrics } from './metrics'
import { ClipModel } from './model'
import type { ModelInfo } from './model'
import { cropImage } from './preprocess'

export type ModelState =
  | { status: 'loading'; reason: string }
  | { status: 'ready'; model: ClipModel }
  | { status: 'unavailable'; reason: string }

/** Every status a model can be in, for the state gauge. */
const MODEL_STATUSES = ['loading', 'ready', 'unavailable'] as const satisfies readonly ModelState['status'][]

export interface Readiness {
  status: 'ready' | 'model_unavailable'
  reason?: string
  model?: string
  dtype?: string
}

type Kind = 'image' | 'text'

/** Owns the model and the two batch queues; everything the HTTP routes (and later jobs) call. */
export class Embedder {
  private current: ModelState = { status: 'loading', reason: 'model not loaded yet' }
  private readonly images: MicroBatcher<Uint8Array, Float32Array>
  private readonly texts: MicroBatcher<string, Float32Array>

  constructor(
    private readonly config: ClipConfig,
    private readonly metrics: Metrics,
  ) {
    this.images = this.batcher('image', (crops) => this.readyModel().embedCrops(crops))
    this.texts = this.batcher('text', (texts) => this.readyModel().embedTexts(texts))
    this.state = this.current
  }

  private get state(): ModelState {
    return this.current
  }

  /** Every change of the model's state is also published as `clip_model_state{state}` (1 for the current one). */
  private set state(next: ModelState) {
    this.current = next
    for (const status of MODEL_STATUSES) this.metrics.modelState.set({ state: status }, status === next.status ? 1 : 0)
  }

  private batcher<I>(kind: Kind, run: (items: I[]) => Promise<Float32Array[]>): MicroBatcher<I, Float32Array> {
    const { maxBatch, maxWaitMs, maxQueue } = this.config
    return new MicroBatcher<I, Float32Array>({
      maxBatch,
      maxWaitMs,
      maxQueue,
      run,
      onBatch: (size, seconds) => {
        this.metrics.batchSize.observe({ kind }, size)
        this.metrics.inferenceDuration.observe({ kind }, seconds)
      },
      onDepth: (depth) => this.metrics.queueDepth.set({ kind }, depth),
    })
  }

  /** Downloads missing files when allowed, then loads the model; failures leave the state unavailable. */
  async start(): Promise<ModelState> {
    const { modelDir, dtype, allowDownload, hubUrl, threads } = this.config
    try {
      const missing = missingFiles(modelDir, dtype)
      if (missing.length > 0) {
        if (!allowDownload) {
          this.state = {
            status: 'unavailable',
            reason: `missing ${missing.join(', ')} in ${modelDir} and downloads are disabled`,
          }
          return this.state
        }
        const report = stderrProgress()
        await downloadModelFiles({
          hubUrl,
          repo: MODEL_REPO,
          dir: modelDir,
          files: missing,
          onProgress: (progress) => {
            const percent = progress.total ? ` ${Math.floor((100 * progress.received) / progress.total)}%` : ''
            this.state = { status: 'loading', reason: `downloading ${progress.file}${percent}` }
            report(progress)
          },
        })
      }
      this.state = { status: 'loading', reason: 'loading the model' }
      const model = await ClipModel.load(modelDir, dtype, threads)
      this.metrics.modelInfo.set({ model: model.info.name, dtype, dims: String(model.info.dims) }, 1)
      this.state = { status: 'ready', model }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      this.state = { status: 'unavailable', reason: `model could not be loaded: ${reason}` }
    }
    return this.state
  }

  /** What /readyz reports. */
  readiness(): Readiness {
    if (this.state.status === 'ready') {
      return { status: 'ready', model: this.state.model.info.name, dtype: this.state.model.info.dtype }
    }
    return { status: 'model_unavailable', reason: this.state.reason, dtype: this.config.dtype }
  }

  /** The loaded model's name and output size (throws 503 when not ready). */
  info(): ModelInfo {
    return this.readyModel().info
  }

  private readyModel(): ClipModel {
    if (this.state.status !== 'ready') throw new ApiError(503, 'model_unavailable', this.state.reason)
    return this.state.model
  }

  /** Checks size and format (by magic bytes) of encoded images; throws the matching 4xx. */
  validateImages(images: Uint8Array[]): void {
    images.forEach((bytes, index) => {
      if (bytes.length === 0) throw new ApiError(400, 'invalid_request', 'image is empty', { index })
      if (bytes.length > this.config.maxImageBytes) {
        throw new ApiError(413, 'payload_too_large', `image exceeds ${this.config.maxImageBytes} bytes`, { index })
      }
      if (!sniffImageFormat(bytes)) {
        throw new ApiError(415, 'unsupported_media_type', 'only JPEG, PNG, WebP and AVIF images are accepted', {
          index,
        })
      }
    })
  }

  /** Encoded images → unit-length embeddings (validated, preprocessed, micro-batched). */
  async embedImages(images: Uint8Array[]): Promise<Float32Array[]> {
    this.validateImages(images)
    const { preprocessor } = this.readyModel()
    this.admit('image', this.images, images.length)
    const crops = await Promise.all(images.map((bytes) => cropImage(bytes, preprocessor)))
    return this.submit('image', this.images, crops)
  }

  /** Texts → unit-length embeddings (tokenized inside the batch, truncated to the context length). */
  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    this.readyModel()
    return this.submit('text', this.texts, texts)
  }

  private async submit<I>(kind: Kind, batcher: MicroBatcher<I, Float32Array>, items: I[]): Promise<Float32Array[]> {
    try {
      return await batcher.submit(items)
    } catch (error) {
      throw this.queueFullError(kind, error)
    }
  }

  private admit<I>(kind: Kind, batcher: MicroBatcher<I, Float32Array>, count: number): void {
    try {
      batcher.assertRoom(count)
    } catch (error) {
      throw this.queueFullError(kind, error)
    }
  }

  private queueFullError(kind: Kind, error: unknown): unknown {
    if (!(error instanceof QueueFullError)) return error
    this.metrics.queueRejections.inc({ kind })
    return new ApiError(
      429,
      'queue_full',
      error.message,
      { retryAfterSeconds: error.retryAfterSeconds },
      {
        'Retry-After': String(error.retryAfterSeconds),
      },
    )
  }

  /** Releases the model sessions. */
  async close(): Promise<void> {
    if (this.state.status === 'ready') await this.state.model.release()
    this.state = { status: 'unavailable', reason: 'service stopped' }
  }
}
