import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, onSignedOut } from './api/client'
import type { Scope, Session } from './api/types'
import { Layout } from './components/Layout'
import { Loading } from './components/ui'
import { lazyPage } from './lib/lazy-page'
import { match, navigate, useLocation } from './lib/router'
import { SessionContext } from './lib/session'
import { SignIn } from './pages/SignIn'

// Each page is its own chunk: the first load carries only the shell and the page it opens.
const Overview = lazyPage(() => import('./pages/Overview'))
const Interactions = lazyPage(() => import('./pages/Interactions'))
const InteractionDetail = lazyPage(() => import('./pages/InteractionDetail'))
const ThreadView = lazyPage(() => import('./pages/ThreadView'))
const Failures = lazyPage(() => import('./pages/Failures'))
const DataQuality = lazyPage(() => import('./pages/DataQuality'))
const ExportPage = lazyPage(() => import('./pages/ExportPage'))

/** The chunk of the page a URL opens, fetched while the session is being checked. */
function preloadFor(pathname: string): void {
  const page = pathname === '/' ? Overview : pathname.startsWith('/interactions/') ? InteractionDetail : pathname.startsWith('/interactions') ? Interactions : pathname.startsWith('/threads/') ? ThreadView : undefined
  void page?.preload()
}

function NoAccess({ scope }: { scope: Scope }) {
  return (
    <div className="note note-info">
      This page needs a key with the <code>{scope}</code> scope. Sign in with such a key to see it.
    </div>
  )
}

function route(pathname: string, can: (scope: Scope) => boolean): ReactNode {
  if (pathname === '/') return can('analytics:view') ? <Overview /> : <Interactions />
  if (pathname === '/interactions') return <Interactions />
  const detail = match('/interactions/:id', pathname)
  if (detail) return <InteractionDetail key={detail.id} id={detail.id!} />
  const thread = match('/threads/:id', pathname)
  if (thread) return <ThreadView key={thread.id} id={thread.id!} />
  if (pathname === '/failures') return <Failures />
  if (pathname === '/data-quality') return <DataQuality />
  if (pathname === '/export') return can('export') ? <ExportPage /> : <NoAccess scope="export" />
  return (
    <div className="note note-info">
      No page at <code>{pathname}</code>. <a href="/">Go to the overview</a>.
    </div>
  )
}

export function App() {
  const [session, setSession] = useState<Session | undefined>()
  const { pathname } = useLocation()

  useEffect(() => {
    onSignedOut(() => setSession({ signed_in: false }))
    preloadFor(location.pathname)
    api<Session>('/v1/session').then(setSession, () => setSession({ signed_in: false }))
  }, [])

  const signOut = useCallback(() => {
    void api('/v1/session', { method: 'DELETE' }).finally(() => {
      setSession({ signed_in: false })
      navigate('/')
    })
  }, [])

  const value = useMemo(() => {
    const scopes = new Set(session?.scopes ?? [])
    return { session: session ?? { signed_in: false }, can: (scope: Scope) => scopes.has(scope), signOut }
  }, [session, signOut])

  if (!session) return <Loading label="Starting…" />
  if (!session.signed_in) return <SignIn onSignedIn={setSession} />
  return (
    <SessionContext.Provider value={value}>
      <Layout>
        {route(pathname, value.can)}
      </Layout>
    </SessionContext.Provider>
  )
}
