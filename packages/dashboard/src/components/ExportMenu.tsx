import { searchOf, type Filters } from '../lib/filters'
import { Link } from '../lib/router'

export const EXPORT_FORMATS = [
  { format: 'csv', label: 'CSV', hint: 'one row per interaction; nested fields as JSON' },
  { format: 'json', label: 'JSON', hint: 'one JSON array' },
  { format: 'jsonl', label: 'JSONL', hint: 'one interaction per line' },
] as const

/** A download of the current filtered view: GET /v1/export streams the file; the browser saves it. */
export const exportHref = (filters: Filters, format: string, options: { includeArchived?: boolean } = {}) =>
  `/v1/export${searchOf(filters, { format, include_archived: options.includeArchived ? 'true' : undefined })}`

export function ExportMenu({ filters }: { filters: Filters }) {
  return (
    <details className="menu">
      <summary className="btn">Export ▾</summary>
      <ul className="menu-list">
        {EXPORT_FORMATS.map(({ format, label, hint }) => (
          <li key={format}>
            <a href={exportHref(filters, format)} download data-testid={`export-${format}`}>
              <strong>{label}</strong> <span className="muted small">{hint}</span>
            </a>
          </li>
        ))}
        <li>
          <Link to={`/export${searchOf(filters)}`} className="small">
            More export options
          </Link>
        </li>
      </ul>
    </details>
  )
}
