import { useCallback, useEffect, useRef, useState } from 'react'
import { api, ApiError } from '../api/client'

export interface ApiState<T> {
  data?: T
  error?: ApiError
  loading: boolean
  /** The data shown belongs to an earlier path (kept on screen while the new one loads). */
  stale: boolean
  reload: () => void
}

/**
 * Loads a GET path and reloads it when the path changes (aborting the previous request) or on
 * `reload()`. The previous data stays on screen while the next arrives, so nothing jumps.
 */
export function useApi<T>(path: string | null): ApiState<T> {
  const [state, setState] = useState<{ path?: string; data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null })
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    if (path === null) return
    const controller = new AbortController()
    setState((previous) => ({ ...previous, loading: true }))
    api<T>(path, { signal: controller.signal }).then(
      (data) => setState({ path, data, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'network', error instanceof Error ? error.message : String(error))
        setState({ path, error: apiError, loading: false })
      },
    )
    return () => controller.abort()
  }, [path, generation])
  const reload = useCallback(() => setGeneration((n) => n + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, stale: state.path !== path, reload }
}

/** Calls `tick` every `ms` while the page is visible; `ms` null stops it. */
export function useInterval(tick: () => void, ms: number | null): void {
  const latest = useRef(tick)
  latest.current = tick
  useEffect(() => {
    if (ms === null) return
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current()
    }, ms)
    return () => clearInterval(timer)
  }, [ms])
}
