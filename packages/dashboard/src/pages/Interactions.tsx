import { useEffect, useMemo, useState } from 'react'
import { api } from '../api/client'
import type { Interaction, InteractionList, MetricsReport } from '../api/types'
import { EmptyState } from '../components/EmptyState'
import { ExportMenu } from '../components/ExportMenu'
import { FilterBar } from '../components/FilterBar'
import { InteractionTable } from '../components/InteractionTable'
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui'
import { activeFilterCount, filtersFrom, searchOf, type Filters } from '../lib/filters'
import { formatInt } from '../lib/format'
import { navigate, useLocation } from '../lib/router'
import { useSession } from '../lib/session'
import { useApi, useInterval } from '../lib/use-api'

const PAGE_SIZE = 50
const LIVE_EVERY_MS = 5_000
const LIVE_LOOKBACK_MS = 10 * 60_000

/** The list's own order (timestamp, then id, both descending); ISO timestamps compare as text. */
const newestFirst = (a: Interaction, b: Interaction) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.timestamp < b.timestamp ? 1 : -1)

/**
 * Values seen in the last 30 days, for the type and model suggestions. Loaded only once the person
 * reaches for those fields: the table's own request must not queue behind two metrics queries.
 */
function useKnownValues(group: 'type' | 'model', enabled: boolean): string[] {
  const from = useMemo(() => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 30 * 86_400_000).toISOString(), [])
  const { data } = useApi<MetricsReport>(enabled ? `/v1/metrics?from=${from}&interval=day&group_by=${group}` : null)
  return (data?.groups ?? []).flatMap((g) => (g.value ? [g.value] : []))
}

export default function Interactions() {
  const { params } = useLocation()
  const { can } = useSession()
  const filters = useMemo(() => filtersFrom(params), [params.toString()])
  const sort = params.get('sort') ?? 'newest'
  const cursor = params.get('cursor') ?? undefined
  const offset = Number(params.get('offset') ?? 0)
  const listPath = `/v1/interactions${searchOf(filters, { sort, cursor, offset: offset ? String(offset) : undefined, limit: String(PAGE_SIZE) })}`
  const list = useApi<InteractionList>(listPath)
  const [wantSuggestions, setWantSuggestions] = useState(false)
  const types = useKnownValues('type', wantSuggestions && can('analytics:view'))
  const models = useKnownValues('model', wantSuggestions && can('analytics:view'))

  // Cursors of the pages before this one (Previous goes back through them).
  const [previousCursors, setPreviousCursors] = useState<(string | undefined)[]>([])
  // Live: rows that arrived since the page loaded, shown on top; `waiting` ones while the user is scrolled down.
  const [live, setLive] = useState<Interaction[]>([])
  const [waiting, setWaiting] = useState<Interaction[]>([])
  const [fresh, setFresh] = useState<Set<string>>(new Set())
  const [liveOn, setLiveOn] = useState(true)
  useEffect(() => {
    setLive([])
    setWaiting([])
  }, [listPath])

  const firstPage = !cursor && offset === 0
  const canGoLive = liveOn && firstPage && sort === 'newest' && !filters.to
  // While the next view loads, the previous one stays on screen, dimmed, so nothing jumps.
  const page = list.data
  const stale = list.stale
  const newest = [...waiting, ...live, ...(page?.interactions.slice(0, 1) ?? [])].sort(newestFirst)[0]

  const show = (rows: Interaction[]) => {
    setLive((current) => [...rows, ...current])
    setFresh(new Set(rows.map((row) => row.id)))
    setTimeout(() => setFresh(new Set()), 4_000)
  }
  // Polls the newest rows of the same view (from a little before the newest shown, so rows whose
  // timestamp is older than their arrival are caught too) and shows the ones not on screen yet.
  useInterval(
    () => {
      if (!page || stale) return
      const since = newest ? new Date(Date.parse(newest.timestamp) - LIVE_LOOKBACK_MS).toISOString() : undefined
      const from = filters.from && (!since || filters.from > since) ? filters.from : since
      void api<InteractionList>(`/v1/interactions${searchOf({ ...filters, from }, { limit: String(PAGE_SIZE) })}`).then(
        (found) => {
          const known = new Set([...live, ...waiting, ...page.interactions].map((row) => row.id))
          const arrived = found.interactions.filter((row) => !known.has(row.id))
          if (arrived.length === 0) return
          if (window.scrollY < 120 && waiting.length === 0) show(arrived)
          else setWaiting((current) => [...arrived, ...current])
        },
        () => {},
      )
    },
    canGoLive ? LIVE_EVERY_MS : null,
  )

  const apply = (next: Filters, nextSort: string) => {
    setPreviousCursors([])
    navigate(`/interactions${searchOf(next, { sort: nextSort === 'newest' ? undefined : nextSort })}`, { keepScroll: true })
  }
  const goNext = () => {
    if (!page) return
    if (sort === 'relevance') return navigate(`/interactions${searchOf(filters, { sort, offset: String(offset + PAGE_SIZE) })}`)
    setPreviousCursors((stack) => [...stack, cursor])
    navigate(`/interactions${searchOf(filters, { sort: sort === 'newest' ? undefined : sort, cursor: page.next_cursor ?? undefined })}`)
  }
  const goPrevious = () => {
    if (sort === 'relevance') return navigate(`/interactions${searchOf(filters, { sort, offset: offset > PAGE_SIZE ? String(offset - PAGE_SIZE) : undefined })}`)
    const stack = [...previousCursors]
    const before = stack.pop()
    setPreviousCursors(stack)
    navigate(`/interactions${searchOf(filters, { sort: sort === 'newest' ? undefined : sort, cursor: before })}`)
  }

  // Arrivals (live runs only on the newest-first view) take their place in time order among the rows shown.
  const rows = !page ? [] : live.length === 0 ? page.interactions : [...live, ...page.interactions.filter((row) => !live.some((l) => l.id === row.id))].sort(newestFirst)
  const total = page ? page.total_count + live.length : undefined
  const pageNumber = sort === 'relevance' ? offset / PAGE_SIZE + 1 : previousCursors.length + 1
  const hasNext = page ? (sort === 'relevance' ? offset + PAGE_SIZE < page.total_count : page.next_cursor !== null) : false

  return (
    <>
      <PageHeader
        title="Interactions"
        subtitle={
          total === undefined ? ' ' : (
            <span data-testid="total-count">
              {formatInt(total)}
              {page?.total_count_exact === false ? '+' : ''} {total === 1 ? 'interaction' : 'interactions'}
              {activeFilterCount(filters) > 0 ? ' match these filters' : ''}
            </span>
          )
        }
        actions={
          <>
            <label className="toggle">
              <input type="checkbox" checked={liveOn} onChange={(event) => setLiveOn(event.target.checked)} />
              <span className={canGoLive ? 'live-dot on' : 'live-dot'} aria-hidden="true" /> Live
            </label>
            {can('export') && <ExportMenu filters={filters} />}
          </>
        }
      />
      <FilterBar key={searchOf(filters, { sort })} filters={filters} sort={sort} onApply={apply} types={types} models={models} onSuggest={() => setWantSuggestions(true)} />
      {waiting.length > 0 && (
        <button
          type="button"
          className="new-banner"
          onClick={() => {
            show(waiting)
            setWaiting([])
            window.scrollTo({ top: 0, behavior: 'smooth' })
          }}
        >
          {waiting.length} new {waiting.length === 1 ? 'interaction' : 'interactions'} — show
        </button>
      )}
      {list.error ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !page ? (
        <Loading />
      ) : rows.length === 0 ? (
        activeFilterCount(filters) === 0 ? (
          <EmptyState />
        ) : (
          <Empty>No interactions match these filters.</Empty>
        )
      ) : (
        <div className={`card card-flush ${stale ? 'stale' : ''}`} aria-busy={list.loading}>
          <InteractionTable rows={rows} fresh={fresh} sort={sort} onSort={(next) => apply(filters, next)} />
          <nav className="pager" aria-label="Pages">
            <button type="button" className="btn" onClick={goPrevious} disabled={firstPage || stale}>
              ← Previous
            </button>
            <span className="muted">Page {pageNumber}</span>
            <button type="button" className="btn" onClick={goNext} disabled={!hasNext || stale}>
              Next →
            </button>
          </nav>
        </div>
      )}
    </>
  )
}
