import type { DataQualityReport } from '../api/types'
import { BarList } from '../components/charts'
import { Card, Chip, Empty, ErrorNote, Loading, PageHeader } from '../components/ui'
import { filtersFrom, searchOf } from '../lib/filters'
import { formatDateTime, formatInt, formatPercent } from '../lib/format'
import { Link, useLocation } from '../lib/router'
import { useApi } from '../lib/use-api'

/** Prompts rendered with required variables missing: how often, which variables, and where. */
export default function DataQuality() {
  const { params } = useLocation()
  const { data, error, reload } = useApi<DataQualityReport>(`/v1/data-quality${searchOf(filtersFrom(params), { limit: '100' })}`)
  if (error) return <ErrorNote error={error} retry={reload} />
  if (!data) return <Loading />
  return (
    <>
      <PageHeader title="Data quality" subtitle="Interactions whose prompt had required variables missing" />
      <div className="kpi-grid kpi-grid-3">
        <div className="kpi card">
          <span className="kpi-label">With required variables</span>
          <span className="kpi-value">{formatInt(data.with_required_variables)}</span>
        </div>
        <div className="kpi card">
          <span className="kpi-label">All variables present</span>
          <span className="kpi-value" data-testid="dq-rate">{formatPercent(data.all_variables_present_rate)}</span>
        </div>
        <div className="kpi card">
          <span className="kpi-label">With missing variables</span>
          <span className="kpi-value">{formatInt(data.total_count)}</span>
        </div>
      </div>
      <div className="detail">
        <div className="detail-main">
          <Card title="Incomplete interactions" className="card-flush">
            {data.interactions.length === 0 ? (
              <Empty>Every required variable was present.</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Type</th>
                      <th scope="col">Prompt</th>
                      <th scope="col">Missing</th>
                      <th scope="col">Given</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.interactions.map((it) => (
                      <tr key={it.id}>
                        <td className="nowrap">
                          <Link to={`/interactions/${encodeURIComponent(it.id)}`}>{formatDateTime(it.timestamp)}</Link>
                        </td>
                        <td>{it.type ?? '—'}</td>
                        <td>
                          {it.prompt_id ?? '—'} {it.prompt_version && <span className="muted small">{it.prompt_version}</span>}
                        </td>
                        <td>
                          {it.missing_variables.map((name) => (
                            <Chip key={name} tone="bad">
                              {name}
                            </Chip>
                          ))}
                        </td>
                        <td className="muted small">{Object.keys(it.input_variables).join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </div>
        <div className="detail-side">
          <Card title="Most often missing">
            <BarList items={data.variables.map((v) => ({ label: v.variable, value: v.missing_count, tone: 'warn' }))} empty="None missing" />
          </Card>
        </div>
      </div>
    </>
  )
}
