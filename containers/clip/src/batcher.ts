// Groups concurrent requests into one inference call (micro-batching) behind a bounded queue.

/** Thrown by submit when the queue cannot take the items; carries a retry hint. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the embedding queue is full')
    this.name = 'QueueFullError'
  }
}

export interface BatcherOptions<I, O> {
  /** Most items per run call. */
  maxBatch: number
  /** Longest an item waits for companions before a partial batch runs. */
  maxWaitMs: number
  /** Most items waiting (not counting the batch in flight). */
  maxQueue: number
  /** Processes one batch; must return one output per input, in order. */
  run: (items: I[]) => Promise<O[]>
  /** Observes each batch (size and duration) and the queue depth after each change. */
  onBatch?: (size: number, seconds: number) => void
  onDepth?: (depth: number) => void
}

interface Pending<I, O> {
  item: I
  enqueuedAt: number
  resolve: (output: O) => void
  reject: (error: unknown) => void
}

const INITIAL_BATCH_SECONDS = 1
const BATCH_TIME_SMOOTHING = 0.2

/** Runs one batch at a time; a batch starts when full or when its oldest item has waited maxWaitMs. */
export class MicroBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = []
  private running = false
  private timer: NodeJS.Timeout | undefined
  private batchSeconds = INITIAL_BATCH_SECONDS

  constructor(private readonly options: BatcherOptions<I, O>) {}

  /** Items waiting for a batch. */
  get depth(): number {
    return this.queue.length
  }

  /** Throws QueueFullError unless `count` more items fit in the queue right now. */
  assertRoom(count: number): void {
    if (this.queue.length + count > this.options.maxQueue) throw new QueueFullError(this.retryAfterSeconds())
  }

  /** Queues all items or none (QueueFullError); resolves with their outputs in order. */
  submit(items: I[]): Promise<O[]> {
    try {
      this.assertRoom(items.length)
    } catch (error) {
      return Promise.reject(error)
    }
    const now = performance.now()
    const outputs = items.map(
      (item) => new Promise<O>((resolve, reject) => this.queue.push({ item, enqueuedAt: now, resolve, reject })),
    )
    this.options.onDepth?.(this.queue.length)
    this.pump()
    return Promise.all(outputs)
  }

  private retryAfterSeconds(): number {
    const batchesAhead = Math.ceil(this.queue.length / this.options.maxBatch) + 1
    return Math.max(1, Math.ceil(batchesAhead * this.batchSeconds))
  }

  private pump(): void {
    const oldest = this.queue[0]
    if (this.running || !oldest) return
    const waitMs = this.options.maxWaitMs - (performance.now() - oldest.enqueuedAt)
    if (this.queue.length >= this.options.maxBatch || waitMs <= 0) {
      clearTimeout(this.timer)
      this.timer = undefined
      void this.runBatch()
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined
        this.pump()
      }, waitMs)
    }
  }

  private async runBatch(): Promise<void> {
    this.running = true
    const batch = this.queue.splice(0, this.options.maxBatch)
    this.options.onDepth?.(this.queue.length)
    const started = performance.now()
    try {
      const outputs = await this.options.run(batch.map((p) => p.item))
      if (outputs.length !== batch.length)
        throw new Error(`batch of ${batch.length} produced ${outputs.length} outputs`)
      batch.forEach((p, i) => p.resolve(outputs[i] as O))
    } catch (error) {
      for (const p of batch) p.reject(error)
    } finally {
      const seconds = (performance.now() - started) / 1000
      this.batchSeconds += BATCH_TIME_SMOOTHING * (seconds - this.batchSeconds)
      this.options.onBatch?.(batch.length, seconds)
      this.running = false
      this.pump()
    }
  }
}
