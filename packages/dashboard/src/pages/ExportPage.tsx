import { useState } from 'react'
import { EXPORT_FORMATS, exportHref } from '../components/ExportMenu'
import { Card, PageHeader } from '../components/ui'
import { activeFilterCount, filtersFrom, searchOf } from '../lib/filters'
import { Link, useLocation } from '../lib/router'

/** Download the current filtered view (from the interactions page) as CSV, JSON or JSONL, archived interactions too if asked. */
export default function ExportPage() {
  const { params } = useLocation()
  const filters = filtersFrom(params)
  const entries = Object.entries(filters)
  const [archived, setArchived] = useState(false)
  // Full-text search does not reach the archive, so the server refuses q with include_archived.
  const searching = Boolean(filters.q)
  const includeArchived = archived && !searching
  return (
    <>
      <PageHeader title="Export" subtitle="Download interactions as a file; the server streams it, so large exports work." />
      <Card title="Filters" className="spaced">
        {activeFilterCount(filters) === 0 ? (
          <p className="muted">No filters: every interaction this key can read.</p>
        ) : (
          <ul className="chips-list">
            {entries.map(([key, value]) => (
              <li key={key}>
                <code>{key}</code> = {value}
              </li>
            ))}
          </ul>
        )}
        <p className="small">
          <Link to={`/interactions${searchOf(filters)}`}>Change the filters on the interactions page →</Link> (its Export menu brings you the same downloads).
        </p>
        <label className="toggle">
          <input type="checkbox" checked={includeArchived} disabled={searching} onChange={(event) => setArchived(event.target.checked)} data-testid="export-include-archived" />
          Include archived interactions
        </label>
        <p className="muted small">
          {searching
            ? 'Archived interactions cannot be searched: remove the search text to include them.'
            : 'After the ones in the database, the same filters are applied to the archive, read object by object (slower).'}
        </p>
      </Card>
      <div className="grid-3">
        {EXPORT_FORMATS.map(({ format, label, hint }) => (
          <Card key={format} title={label}>
            <p className="muted">{hint}</p>
            <a className="btn btn-primary" href={exportHref(filters, format, { includeArchived })} download data-testid={`export-page-${format}`}>
              Download {label}
            </a>
          </Card>
        ))}
      </div>
      <p className="muted small">
        The same from a script: <code>curl -OJ -H "Authorization: Bearer $KEY" '{window.location.origin}{exportHref(filters, 'csv', { includeArchived })}'</code> (needs the <code>export</code> scope).
      </p>
    </>
  )
}
