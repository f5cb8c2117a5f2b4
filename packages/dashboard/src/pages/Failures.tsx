import { useState } from 'react'
import type { FailuresReport } from '../api/types'
import { BarList } from '../components/charts'
import { Card, Chip, Empty, ErrorNote, Loading, PageHeader } from '../components/ui'
import { filtersFrom, searchOf } from '../lib/filters'
import { formatDateTime, formatInt, formatMs } from '../lib/format'
import { Link, navigate, useLocation } from '../lib/router'
import { useApi } from '../lib/use-api'

/** The latest failures with their error, input and failed tool calls, and counts per error type. */
export default function Failures() {
  const { params } = useLocation()
  const filters = filtersFrom(params)
  const cursor = params.get('cursor') ?? undefined
  const [previous, setPrevious] = useState<(string | undefined)[]>([])
  const { data, error, reload, loading } = useApi<FailuresReport>(`/v1/failures${searchOf(filters, { cursor, limit: '25' })}`)
  const [query, setQuery] = useState(filters.q ?? '')
  const go = (next: string | undefined) => navigate(`/failures${searchOf({ ...filters, q: query || undefined }, { cursor: next })}`)
  return (
    <>
      <PageHeader title="Failures" subtitle={data ? `${formatInt(data.total_count)} failed interactions` : ' '} />
      {error && <ErrorNote error={error} retry={reload} />}
      {!data ? (
        !error && <Loading />
      ) : (
        <div className="detail">
          <div className="detail-main" aria-busy={loading}>
            <form
              className="inline-search"
              role="search"
              onSubmit={(event) => {
                event.preventDefault()
                setPrevious([])
                go(undefined)
              }}
            >
              <input className="input" type="search" placeholder="Search failures (error message, input…)" value={query} onChange={(event) => setQuery(event.target.value)} aria-label="Search failures" />
              <button className="btn" type="submit">
                Search
              </button>
            </form>
            {data.failures.length === 0 && <Empty>No failures. Good news.</Empty>}
            {data.failures.map((failure) => (
              <article key={failure.id} className="card failure">
                <div className="failure-head">
                  <Chip tone="bad">{failure.error_type ?? 'error'}</Chip>
                  <Link to={`/interactions/${encodeURIComponent(failure.id)}`}>{formatDateTime(failure.timestamp)}</Link>
                  <span className="muted small">
                    {failure.type ?? '—'} · {failure.model ?? '—'} · {formatMs(failure.context.latency_ms)}
                    {failure.user_id ? ` · ${failure.user_id}` : ''}
                  </span>
                </div>
                <p className="failure-message">{failure.error_message ?? '(no message)'}</p>
                {failure.input.user_message && (
                  <p className="muted small truncate-2">
                    <strong>Input:</strong> {failure.input.user_message}
                  </p>
                )}
                {failure.context.failed_tool_calls.length > 0 && (
                  <p className="small">
                    Failed tools:{' '}
                    {failure.context.failed_tool_calls.map((call, i) => (
                      <Chip key={i} tone="bad">
                        {call.name}: {call.error ?? 'failed'}
                      </Chip>
                    ))}
                  </p>
                )}
              </article>
            ))}
            <nav className="pager" aria-label="Pages">
              <button
                type="button"
                className="btn"
                disabled={!cursor}
                onClick={() => {
                  const stack = [...previous]
                  const before = stack.pop()
                  setPrevious(stack)
                  go(before)
                }}
              >
                ← Newer
              </button>
              <button
                type="button"
                className="btn"
                disabled={!data.next_cursor}
                onClick={() => {
                  setPrevious((stack) => [...stack, cursor])
                  go(data.next_cursor ?? undefined)
                }}
              >
                Older →
              </button>
            </nav>
          </div>
          <div className="detail-side">
            <Card title="By error type">
              <BarList items={data.by_error_type.map((row) => ({ label: row.error_type ?? '(none)', value: row.count, tone: 'bad' }))} empty="No failures" />
            </Card>
          </div>
        </div>
      )}
    </>
  )
}
