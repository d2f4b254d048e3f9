import { useCallback, useRef, useState } from 'react'

/**
 * Runs one async action at a time: a second call while the first is still
 * running is ignored. The guard is a ref, so two clicks within one frame
 * (before React re-renders a disabled button) still make one request.
 */
export function useSingleFlight() {
  const running = useRef(false)
  const [busy, setBusy] = useState(false)
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (running.current) return undefined
    running.current = true
    setBusy(true)
    try {
      return await action()
    } finally {
      running.current = false
      setBusy(false)
    }
  }, [])
  return { run, busy }
}
