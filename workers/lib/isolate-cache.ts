// A per-isolate cache with a time to live, a size bound and shared misses, for facts the hot path would otherwise read
// from Postgres on every request. Other isolates may serve an entry for up to its TTL after a change; each user
// documents that bound, and drops the entry at once in the isolate that made the change.

/** Entries kept per cache before the oldest are dropped (a Worker isolate has 128 MB). */
const DEFAULT_MAX_ENTRIES = 10_000

/** Values by string key, each trusted for `ttlMs` after it was loaded; concurrent misses of one key share one load. */
export class IsolateCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>()
  readonly #inflight = new Map<string, Promise<V>>()

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  /** The cached value when fresh; otherwise `load`'s, shared by every caller asking meanwhile, and remembered. */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.#entries.get(key)
    if (cached && cached.until > Date.now()) return cached.value
    let lookup = this.#inflight.get(key)
    if (!lookup) {
      lookup = load()
        .then((value) => {
          this.set(key, value)
          return value
        })
        .finally(() => this.#inflight.delete(key))
      this.#inflight.set(key, lookup)
    }
    return lookup
  }

  /** Remembers `value` (e.g. one just read fresh) for the TTL. */
  set(key: string, value: V): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, { value, until: Date.now() + this.ttlMs })
  }

  /** Forgets `key` in this isolate, after a change made here. */
  delete(key: string): void {
    this.#entries.delete(key)
  }
}
