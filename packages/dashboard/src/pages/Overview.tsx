import { useMemo } from 'react'
import { queryString } from '../api/client'
import type { InteractionList, MetricsReport, MetricTotals } from '../api/types'
import { BarList, ColumnChart, TimeChart } from '../components/charts'
import { EmptyState } from '../components/EmptyState'
import { Card, ErrorNote, Loading, PageHeader } from '../components/ui'
import { formatCompact, formatDay, formatHour, formatInt, formatMs, formatPercent, formatUsd } from '../lib/format'
import { Link, navigate, useLocation } from '../lib/router'
import { useApi } from '../lib/use-api'

const RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const
type Range = keyof typeof RANGES

interface Kpi {
  id: string
  label: string
  value: (t: MetricTotals) => number | null
  format: (v: number | null) => string
  /** rate: change in percentage points; amount: relative change. */
  change: 'rate' | 'amount'
  /** Whether a rise is good news (for the colour of the change). */
  upIsGood: boolean
}

const KPIS: Kpi[] = [
  { id: 'interactions', label: 'Interactions', value: (t) => t.count, format: formatInt, change: 'amount', upIsGood: true },
  { id: 'success-rate', label: 'Success rate', value: (t) => t.success_rate, format: (v) => formatPercent(v), change: 'rate', upIsGood: true },
  { id: 'p95-latency', label: 'p95 latency', value: (t) => t.latency_ms.p95, format: formatMs, change: 'amount', upIsGood: false },
  { id: 'cost', label: 'Total cost', value: (t) => t.cost_usd.total, format: formatUsd, change: 'amount', upIsGood: false },
  { id: 'tokens', label: 'Tokens', value: (t) => t.tokens.total, format: formatCompact, change: 'amount', upIsGood: true },
  { id: 'feedback-rate', label: 'Feedback rate', value: (t) => t.feedback.feedback_rate, format: (v) => formatPercent(v), change: 'rate', upIsGood: true },
  { id: 'data-quality', label: 'Variables complete', value: (t) => t.data_quality.all_variables_present_rate, format: (v) => formatPercent(v), change: 'rate', upIsGood: true },
  { id: 'handoff-rate', label: 'Handoff rate', value: (t) => t.agent.handoff_rate, format: (v) => formatPercent(v), change: 'rate', upIsGood: false },
]

function Change({ kpi, now, before }: { kpi: Kpi; now: number | null; before: number | null }) {
  if (now === null || before === null) return <span className="kpi-change muted">no earlier data</span>
  const delta = kpi.change === 'rate' ? (now - before) * 100 : before === 0 ? null : ((now - before) / before) * 100
  if (delta === null) return <span className="kpi-change muted">new</span>
  const flat = Math.abs(delta) < 0.05
  const good = flat ? 'flat' : delta > 0 === kpi.upIsGood ? 'good' : 'bad'
  const text = `${delta > 0 ? '▲' : delta < 0 ? '▼' : ''} ${Math.abs(delta).toFixed(1)}${kpi.change === 'rate' ? ' pp' : '%'}`
  return (
    <span className={`kpi-change ${good}`} title="against the previous period of the same length">
      {flat ? '= 0.0' : text} <span className="muted">vs previous</span>
    </span>
  )
}

export default function Overview() {
  const { params, pathname } = useLocation()
  const range: Range = (params.get('range') as Range) in RANGES ? (params.get('range') as Range) : '7d'
  // The window ends at the next whole minute, so reloads within a minute ask the same question.
  const { from, to, previousFrom } = useMemo(() => {
    const end = Math.ceil(Date.now() / 60_000) * 60_000
    return { to: new Date(end).toISOString(), from: new Date(end - RANGES[range]).toISOString(), previousFrom: new Date(end - 2 * RANGES[range]).toISOString() }
  }, [range])
  const interval = range === '24h' ? 'hour' : 'day'
  const byType = useApi<MetricsReport>(`/v1/metrics${queryString({ from, to, interval, group_by: 'type' })}`)
  const byModel = useApi<MetricsReport>(`/v1/metrics${queryString({ from, to, interval, group_by: 'model' })}`)
  const byStatus = useApi<MetricsReport>(`/v1/metrics${queryString({ from, to, interval, group_by: 'status' })}`)
  const previous = useApi<MetricsReport>(`/v1/metrics${queryString({ from: previousFrom, to: from, interval })}`)
  const any = useApi<InteractionList>('/v1/interactions?limit=1')

  const setRange = (value: Range) => navigate(`${pathname}?range=${value}`, { keepScroll: true })
  const header = (
    <PageHeader
      title="Overview"
      subtitle={`${new Date(from).toLocaleString()} – ${new Date(to).toLocaleString()}`}
      actions={
        <div className="segmented" role="group" aria-label="Time range">
          {(Object.keys(RANGES) as Range[]).map((value) => (
            <button key={value} type="button" className={value === range ? 'active' : ''} aria-pressed={value === range} onClick={() => setRange(value)}>
              {value}
            </button>
          ))}
        </div>
      }
    />
  )
  if (byType.error) return <>{header}<ErrorNote error={byType.error} retry={byType.reload} /></>
  if (!byType.data) return <>{header}<Loading /></>
  if (any.data?.total_count === 0) return <>{header}<EmptyState /></>

  const report = byType.data
  const totals = report.totals
  const times = report.series.map((point) => Date.parse(point.start))
  const formatTime = interval === 'hour' ? formatHour : formatDay
  const histogram = totals.agent.confidence_histogram
  return (
    <>
      {header}
      <div className="kpi-grid" aria-busy={byType.loading}>
        {KPIS.map((kpi) => (
          <div className="kpi card" key={kpi.id} data-testid={`kpi-${kpi.id}`}>
            <span className="kpi-label">{kpi.label}</span>
            <span className="kpi-value">{kpi.format(kpi.value(totals))}</span>
            {previous.data ? <Change kpi={kpi} now={kpi.value(totals)} before={kpi.value(previous.data.totals)} /> : <span className="kpi-change muted">…</span>}
          </div>
        ))}
      </div>
      <div className="grid-2">
        <Card title="Volume" actions={<Link to="/failures" className="small">Failures →</Link>}>
          <TimeChart
            label="Interactions per interval, failures stacked"
            kind="bars"
            unit="interactions"
            times={times}
            formatTime={formatTime}
            format={formatCompact}
            series={[
              { name: 'succeeded or partial', className: 'bar-primary', values: report.series.map((p) => p.count - p.failure_count) },
              { name: 'failed', className: 'bar-bad', values: report.series.map((p) => p.failure_count) },
            ]}
          />
        </Card>
        <Card title="p95 latency">
          <TimeChart label="p95 latency per interval" kind="line" unit="latency" times={times} formatTime={formatTime} format={formatMs} series={[{ name: 'p95 latency', className: 'line-primary', values: report.series.map((p) => p.latency_p95_ms) }]} />
        </Card>
        <Card title="Cost">
          <TimeChart label="Cost per interval in US dollars" kind="bars" unit="cost (USD)" times={times} formatTime={formatTime} format={formatUsd} series={[{ name: 'cost', className: 'bar-accent', values: report.series.map((p) => p.cost_usd) }]} />
        </Card>
        <Card title="Confidence">
          <ColumnChart label="Confidence histogram" unit="interactions" items={histogram.map((bin) => ({ label: bin.from.toFixed(1), value: bin.count }))} />
          <p className="muted small">
            {formatInt(totals.agent.high_confidence_count)} high (≥ 0.8), {formatInt(totals.agent.low_confidence_count)} low (&lt; 0.5); average {totals.agent.avg_confidence === null ? '—' : totals.agent.avg_confidence.toFixed(2)}
          </p>
        </Card>
      </div>
      <div className="grid-3">
        <Card title="By type">
          <BarList items={report.groups.map((g) => ({ label: g.value ?? '(none)', value: g.count }))} />
        </Card>
        <Card title="By model">
          <BarList items={(byModel.data?.groups ?? []).map((g) => ({ label: g.value ?? '(none)', value: g.count }))} />
        </Card>
        <Card title="By status">
          <BarList items={(byStatus.data?.groups ?? []).map((g) => ({ label: g.value ?? '(none)', value: g.count, tone: g.value === 'failure' ? 'bad' : g.value === 'partial' ? 'warn' : 'ok' }))} />
        </Card>
        <Card title="Feedback">
          <BarList
            empty="No feedback in this range"
            items={Object.entries(totals.feedback.counts)
              .sort((a, b) => b[1] - a[1])
              .map(([kind, count]) => ({ label: kind, value: count, tone: ['thumbs_down', 'rejected', 'report'].includes(kind) ? 'bad' : ['thumbs_up', 'accepted'].includes(kind) ? 'ok' : '' }))}
          />
          <p className="muted small">Average quality score {totals.feedback.avg_quality_score === null ? '—' : totals.feedback.avg_quality_score.toFixed(0)}</p>
        </Card>
        <Card title="Missing variables" actions={<Link to="/data-quality" className="small">Data quality →</Link>}>
          <BarList empty="Every required variable was present" items={totals.data_quality.top_missing_variables.map((v) => ({ label: String(v.variable), value: Number(v.count), tone: 'warn' }))} />
        </Card>
        <Card title="Handoff reasons">
          <BarList empty="No handoffs in this range" items={totals.agent.top_handoff_reasons.map((r) => ({ label: String(r.reason), value: Number(r.count) }))} />
        </Card>
      </div>
    </>
  )
}
