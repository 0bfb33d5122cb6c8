// Counts are read from Postgres concurrently (one per event, one per new socket); this keeps a slow, older read from
// being sent after a newer one, so a socket never ends on a stale count.

/* * Orders reads by when they began, and remembers the newest value sent per key. */
export class LatestReads {
  #began = 0
  readonly #sent = new Map<string, { read: number; value: number }>()

  /** Starts a read; the answer orders it against every other read. */
  begin(): number {
    this.#began += 1
    return this.#began
  }

  /** Records `value` as the newest of `key` and answers true, unless a read that began later was already sent. */
  settle(key: string, read: number, value: number): boolean {
    const last = this.#sent.get(key)
    if (last && last.read > read) return false
    this.#sent.set(key, { read, value })
    return true
  }

  /** The value of `key` sent by a read that began after `read`, if any (it is newer than what `read` found). */
  newer(key: string, read: number): number | undefined {
    const last = this.#sent.get(key)
    return last && last.read > read ? last.value : undefined
  }
}
