import { useState, type ReactNode } from 'react'
import type { ApiError } from '../api/client'
import { pretty } from '../lib/format'

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  )
}

export function Card({ title, children, actions, className = '', id }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string; id?: string }) {
  return (
    <section className={`card ${className}`} aria-labelledby={title && id ? `${id}-title` : undefined}>
      {(title || actions) && (
        <div className="card-head">
          {title && <h2 id={id ? `${id}-title` : undefined}>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  )
}

const STATUS_CLASS: Record<string, string> = { success: 'ok', failure: 'bad', partial: 'warn', pending: 'neutral' }

export function StatusBadge({ status }: { status: string | undefined }) {
  if (!status) return <span className="muted">—</span>
  return <span className={`badge badge-${STATUS_CLASS[status] ?? 'neutral'}`}>{status}</span>
}

const FEEDBACK_LABEL: Record<string, string> = {
  thumbs_up: '▲ up',
  thumbs_down: '▼ down',
  accepted: '✓ accepted',
  rejected: '✕ rejected',
  modified: '✎ modified',
  edit: '✎ edit',
  report: '⚑ report',
}
const FEEDBACK_CLASS: Record<string, string> = { thumbs_up: 'ok', accepted: 'ok', thumbs_down: 'bad', rejected: 'bad', report: 'bad' }

export function FeedbackBadge({ kind, score }: { kind?: string; score?: number }) {
  if (!kind) return <span className="muted">—</span>
  return (
    <span className={`badge badge-${FEEDBACK_CLASS[kind] ?? 'neutral'}`} title={kind}>
      {FEEDBACK_LABEL[kind] ?? kind}
      {score !== undefined && <span className="badge-extra">{Math.round(score)}</span>}
    </span>
  )
}

export function Chip({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'bad' | 'ok' | 'warn' }) {
  return <span className={`chip chip-${tone}`}>{children}</span>
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  )
}

export function ErrorNote({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div className="note note-error" role="alert">
      <strong>{error.status === 403 ? 'Not allowed' : error.status === 404 ? 'Not found' : 'Something went wrong'}</strong>
      <span>{error.message}</span>
      {retry && (
        <button type="button" className="btn btn-small" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>
}

export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [copied, setCopied] = useState(false)
  const copy = () => {
    void navigator.clipboard?.writeText(code).then(() => {
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    })
  }
  return (
    <div className="code-block">
      <div className="code-head">
        <span>{label}</span>
        <button type="button" className="btn btn-small btn-ghost" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  )
}

export function Json({ value, className = '' }: { value: unknown; className?: string }) {
  return <pre className={`json ${className}`}>{pretty(value)}</pre>
}

/** A label/value list, for the facts of an interaction. */
export function Facts({ items }: { items: [label: string, value: ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? <span className="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  )
}
