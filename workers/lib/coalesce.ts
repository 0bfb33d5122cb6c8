// Trailing-edge coalescing of wake-up calls within one isolate: while a call for a key is in flight, more calls only ask
// for one more after it, so a burst of N changes costs a target at most two calls instead of N, and every change is
// still followed by a call that starts after it. Callers never wait on another request's call (no cross-request I/O).

/** Keys with a call in flight, and whether someone asked for another one after it. */
const inFlight = new Map<string, { again: boolean }>()

/**
 * Runs `call` for `key` now or, when one is already running, once more after it (answering at once). `call` must not
 * throw: it reports its own failures, and the loop goes on so a later change is never left without its wake-up.
 */
export function coalesced(key: string, call: () => Promise<void>): Promise<void> {
  const running = inFlight.get(key)
  if (running) {
    running.again = true
    return Promise.resolve()
  }
  const state = { again: false }
  inFlight.set(key, state)
  return (async () => {
    try {
      do {
        state.again = false
        await call()
      } while (state.again)
    } finally {
      inFlight.delete(key)
    }
  })()
}
