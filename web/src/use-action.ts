// Running a change against the API from a page: its error for display, and a reload of the page's data afterwards
// whether the change worked or not (so the page never keeps showing a change the API refused).
import { useState } from 'preact/hooks'

/** The last action's error and a runner that clears it, runs `work`, records a failure and then calls `reload`. */
export function useAction(reload: () => void): { error: unknown; setError: (error: unknown) => void; act: (work: () => Promise<unknown>) => Promise<boolean> } {
  const [error, setError] = useState<unknown>(null)
  const act = async (work: () => Promise<unknown>): Promise<boolean> => {
    setError(null)
    try {
      await work()
      return true
    } catch (caught) {
      setError(caught)
      return false
    } finally {
      reload()
    }
  }
  return { error, setError, act }
}
