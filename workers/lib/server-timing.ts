// The `Server-Timing` header of a hot route: how long each step of one request took, so a benchmark (or a browser's
// network panel) can see where the time goes without a profiler. Durations in ms, measured across awaited I/O.

/** Named step durations of one request, in the order they were recorded. */
export class ServerTiming {
  readonly #entries: { name: string; ms: number; desc?: string }[] = []

  /** Records a step that took `ms`; `desc` is an optional short note (e.g. `hit`). */
  add(name: string, ms: number, desc?: string): void {
    this.#entries.push(desc === undefined ? { name, ms } : { name, ms, desc })
  }

  /** Runs `work` and records how long it took under `name`. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await work()
    } finally {
      this.add(name, performance.now() - started)
    }
  }

  /** The header value, e.g. `providers;dur=0.1, breaker;dur=1.4`. */
  header(): string {
    return this.#entries.map((e) => `${e.name};dur=${Math.round(e.ms * 100) / 100}${e.desc ? `;desc="${e.desc}"` : ''}`).join(', ')
  }

  /** Sets the header on `response` (appending to one already there). */
  apply(response: Response): Response {
    if (this.#entries.length > 0) response.headers.append('Server-Timing', this.header())
    return response
  }
}
