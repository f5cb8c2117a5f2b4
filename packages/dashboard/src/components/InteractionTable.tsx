import type { Interaction } from '../api/types'
import { formatDateTime, formatInt, formatMs, formatUsd } from '../lib/format'
import { Link, navigate } from '../lib/router'
import { FeedbackBadge, StatusBadge } from './ui'

interface Props {
  rows: Interaction[]
  fresh: Set<string>
  sort: string
  onSort: (sort: string) => void
}

function SortHeader({ label, sort, sorts, onSort, className }: { label: string; sort: string; sorts: [first: string, second?: string]; onSort: (s: string) => void; className?: string }) {
  const [first, second] = sorts
  const active = sort === first || sort === second
  const next = sort === first && second ? second : first
  const direction = sort === 'oldest' ? 'ascending' : 'descending'
  return (
    <th scope="col" className={className} aria-sort={active ? direction : undefined}>
      <button type="button" className="th-sort" onClick={() => onSort(next)} title={`Sort: ${next}`}>
        {label}
        <span aria-hidden="true" className={active ? '' : 'muted'}>
          {active ? (direction === 'ascending' ? ' ↑' : ' ↓') : ' ↕'}
        </span>
      </button>
    </th>
  )
}

/** The interactions table: each row opens the detail (the date is a link, so it works from the keyboard). */
export function InteractionTable({ rows, fresh, sort, onSort }: Props) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="interactions-table">
        <thead>
          <tr>
            <SortHeader label="Date" sort={sort} sorts={['newest', 'oldest']} onSort={onSort} />
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Model</th>
            <th scope="col">User</th>
            <SortHeader label="Latency" sort={sort} sorts={['slowest']} onSort={onSort} className="num" />
            <th scope="col" className="num">
              Tokens
            </th>
            <SortHeader label="Cost" sort={sort} sorts={['costliest']} onSort={onSort} className="num" />
            <th scope="col">Feedback</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((it) => (
            <tr
              key={it.id}
              className={fresh.has(it.id) ? 'row-fresh' : undefined}
              data-id={it.id}
              onClick={(event) => {
                if (!(event.target as HTMLElement).closest('a,button')) navigate(`/interactions/${encodeURIComponent(it.id)}`)
              }}
            >
              <td className="nowrap">
                <Link to={`/interactions/${encodeURIComponent(it.id)}`}>{formatDateTime(it.timestamp)}</Link>
              </td>
              <td>{it.type ?? <span className="muted">—</span>}</td>
              <td>
                <StatusBadge status={it.status} />
              </td>
              <td className="truncate" title={it.model}>
                {it.model ?? <span className="muted">—</span>}
              </td>
              <td className="truncate" title={it.user_id}>
                {it.user_id ?? <span className="muted">—</span>}
              </td>
              <td className="num">{formatMs(it.latency_ms)}</td>
              <td className="num">{formatInt(it.total_tokens)}</td>
              <td className="num">{formatUsd(it.cost_usd)}</td>
              <td>
                <FeedbackBadge kind={it.feedback_kind} score={it.feedback_quality_score} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
