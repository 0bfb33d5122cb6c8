// Live pages refresh on a timer, but only while the tab is visible: a hidden tab sends nothing, and showing it again
// refreshes at once and restarts the timer.
import { useEffect, useRef } from 'preact/hooks'

/** Calls `tick` every `ms` while the document is visible and `paused` is false; once more when the tab is shown again. */
export function useVisibleInterval(tick: () => void, ms: number, paused = false): void {
  const latest = useRef(tick)
  latest.current = tick
  useEffect(() => {
    if (paused) return
    let timer: ReturnType<typeof setInterval> | undefined
    const stop = () => {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
    }
    const start = () => {
      stop()
      if (document.visibilityState === 'visible') timer = setInterval(() => latest.current(), ms)
    }
    const onVisibility = () => {
      if (document.visibilityState === 'visible') latest.current()
      start()
    }
    start()
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      stop()
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [ms, paused])
}
