// A bounded in-process job queue with a concurrency cap, retries after growing delays, and coalescing of duplicate
// requests. Retries wait on a timer, not in a slot, so a failing job does not hold back the others.
import { QueueFullError } from '../batcher'

export interface JobQueueOptions<J> {
  /** Jobs running at once. */
  concurrency: number
  /** Most new jobs waiting for a slot (retries re-enter regardless). */
  maxQueued: number
  /** Delay before retry n; a job fails for good after retryDelaysMs.length retries. */
  retryDelaysMs: readonly number[]
  /** Identity of a job: a job already waiting (or waiting to retry) is not queued twice. */
  key: (job: J) => string
  run: (job: J) => Promise<void>
  /** Called once when a job has failed its last attempt. */
  onGiveUp: (job: J, error: unknown) => Promise<void>
  onRetry?: (job: J, attempt: number, error: unknown) => void
  onDepth?: (depth: number) => void
}

interface Entry<J> {
  job: J
  attempt: number
}

const INITIAL_JOB_SECONDS = 2
const JOB_TIME_SMOOTHING = 0.2

/** Runs jobs `concurrency` at a time in arrival order; `enqueue` throws QueueFullError when the queue is full. */
export class JobQueue<J> {
  private readonly waiting: Entry<J>[] = []
  private readonly pendingKeys = new Set<string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly running = new Set<Promise<void>>()
  private jobSeconds = INITIAL_JOB_SECONDS
  private closed = false

  constructor(private readonly options: JobQueueOptions<J>) {}

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length
  }

  /** Queues a job; false when the same job is already waiting. Throws QueueFullError when full or closed. */
  enqueue(job: J): boolean {
    const key = this.options.key(job)
    if (this.pendingKeys.has(key)) return false
    if (this.closed || this.waiting.length >= this.options.maxQueued) throw new QueueFullError(this.retryAfterSeconds())
    this.admit({ job, attempt: 0 })
    return true
  }

  /** Stops taking jobs, drops waiting ones and pending retries (their images stay pending), and waits for the running ones. */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.waiting.length = 0
    this.pendingKeys.clear()
    this.options.onDepth?.(0)
    await Promise.all(this.running)
  }

  private admit(entry: Entry<J>): void {
    this.pendingKeys.add(this.options.key(entry.job))
    this.waiting.push(entry)
    this.options.onDepth?.(this.waiting.length)
    this.pump()
  }

  private retryAfterSeconds(): number {
    const rounds = Math.ceil(this.waiting.length / this.options.concurrency) + 1
    return Math.max(1, Math.ceil(rounds * this.jobSeconds))
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.options.concurrency) {
      const entry = this.waiting.shift()
      if (!entry) return
      this.pendingKeys.delete(this.options.key(entry.job))
      this.options.onDepth?.(this.waiting.length)
      const execution = this.execute(entry)
      this.running.add(execution)
      void execution.finally(() => {
        this.running.delete(execution)
        this.pump()
      })
    }
  }

  private async execute(entry: Entry<J>): Promise<void> {
    const started = performance.now()
    try {
      await this.options.run(entry.job)
    } catch (error) {
      await this.handleFailure(entry, error)
    } finally {
      this.jobSeconds += JOB_TIME_SMOOTHING * ((performance.now() - started) / 1000 - this.jobSeconds)
    }
  }

  private async handleFailure(entry: Entry<J>, error: unknown): Promise<void> {
    if (this.closed) return
    const delay = this.options.retryDelaysMs[entry.attempt]
    if (delay === undefined) {
      await this.options.onGiveUp(entry.job, error).catch((failure: unknown) => {
        console.error('job queue: recording a final failure failed', failure)
      })
      return
    }
    this.options.onRetry?.(entry.job, entry.attempt + 1, error)
    const key = this.options.key(entry.job)
    this.pendingKeys.add(key)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.pendingKeys.delete(key)
      this.admit({ job: entry.job, attempt: entry.attempt + 1 })
    }, delay)
    this.timers.add(timer)
  }
}
