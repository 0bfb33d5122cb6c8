// Loading state for one API read: the data, the error, whether it is loading, and a reload function.
import { useCallback, useEffect, useState } from 'preact/hooks'

/** What a page renders from: `data` stays while reloading, so the layout does not jump. */
export interface Resource<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload: () => void
}

/** Runs `load` now and whenever `deps` change (or `reload` is called); later answers replace earlier ones only. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true })
  const [generation, setGeneration] = useState(0)
  const run = useCallback(load, deps)
  useEffect(() => {
    let current = true
    setState((previous) => ({ ...previous, loading: true }))
    run().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error, loading: false })),
    )
    return () => {
      current = false
    }
  }, [run, generation])
  return { ...state, reload: () => setGeneration((n) => n + 1) }
}
