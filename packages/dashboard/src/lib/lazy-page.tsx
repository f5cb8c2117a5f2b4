import { useEffect, useState, type ComponentType } from 'react'
import { Loading } from '../components/ui'

export type LazyPage<P> = ComponentType<P> & { preload: () => Promise<void> }

/**
 * A page in its own chunk, loaded on first use (or earlier with `preload`). Unlike React.lazy with
 * Suspense, it shows the page the moment its chunk arrives: React holds a revealed Suspense boundary
 * back for up to 300 ms, which would delay the page's first requests by as much.
 */
export function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyPage<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<void> | undefined
  const preload = () =>
    (loading ??= load().then((module) => {
      loaded = module.default
    }))
  function Page(props: P) {
    const [, setReady] = useState(loaded !== undefined)
    useEffect(() => {
      if (!loaded) void preload().then(() => setReady(true))
    }, [])
    if (!loaded) return <Loading />
    const Loaded = loaded
    return <Loaded {...props} />
  }
  return Object.assign(Page, { preload })
}
