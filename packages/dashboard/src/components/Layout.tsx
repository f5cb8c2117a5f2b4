import type { ReactNode } from 'react'
import { Link, useLocation } from '../lib/router'
import { useSession } from '../lib/session'
import type { Scope } from '../api/types'

const NAV: { to: string; label: string; icon: string; scope?: Scope }[] = [
  { to: '/', label: 'Overview', icon: '◧', scope: 'analytics:view' },
  { to: '/interactions', label: 'Interactions', icon: '☰' },
  { to: '/failures', label: 'Failures', icon: '⚠' },
  { to: '/data-quality', label: 'Data quality', icon: '◎' },
  { to: '/export', label: 'Export', icon: '⇩', scope: 'export' },
]

export function Layout({ children }: { children: ReactNode }) {
  const { pathname } = useLocation()
  const { session, can, signOut } = useSession()
  const current = (to: string) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`))
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link to="/" className="brand" aria-label="interlog home">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>interlog</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((item) => item.scope === undefined || can(item.scope)).map((item) => (
              <li key={item.to}>
                <Link to={item.to} className="nav-link" aria-current={current(item.to) ? 'page' : undefined}>
                  <span className="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <div className="who">
            <span className="muted small">Tenant</span>
            <strong data-testid="tenant-name">{session.tenant_name}</strong>
            {session.user_id && <span className="muted small">user {session.user_id} only</span>}
            <span className="scopes small muted" title="What this key may do">
              {(session.scopes ?? []).join(' · ')}
            </span>
          </div>
          <button type="button" className="btn btn-ghost btn-block" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}
