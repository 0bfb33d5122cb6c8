// The stack the browser-test global setup starts once per run, for every file that needs no special configuration.
import { inject } from 'vitest'

/** The shared stack's base URL; the global setup stops it after the run. */
export function sharedStack(): { base: string } {
  return { base: inject('sharedStackBase') }
}
