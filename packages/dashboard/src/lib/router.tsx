import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

/** A small history router: the URL is the state (filters, pages), so every view can be shared. */

const listeners = new Set<() => void>()
const notify = () => listeners.forEach((listener) => listener())
window.addEventListener('popstate', notify)

export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (to === location.pathname + location.search) return
  if (options.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  notify()
  if (!options.keepScroll) window.scrollTo(0, 0)
}

const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
const snapshot = () => location.pathname + location.search

export function useLocation(): { pathname: string; search: string; params: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot)
  const url = new URL(href, location.origin)
  return { pathname: url.pathname, search: url.search, params: url.searchParams }
}

/** Matches `/interactions/:id` against a path; the named parts, decoded, or null. */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const names: string[] = []
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}/?$`)
  const found = regex.exec(pathname)
  if (!found) return null
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]))
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; keepScroll?: boolean }

/** An ordinary link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, keepScroll, onClick, ...props }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(to, { keepScroll })
  }
  return <a href={to} onClick={handle} {...props} />
}
