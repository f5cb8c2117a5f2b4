import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'

/**
 * Small hand-written SVG charts: axes with units, a tooltip that follows the pointer or the arrow
 * keys, nothing to download beyond these few lines.
 */

export interface Series {
  name: string
  className: string
  values: (number | null)[]
}

const HEIGHT = 220
const PAD = { top: 12, right: 16, bottom: 28, left: 64 }

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null)
  const [width, setWidth] = useState(600)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(240, Math.floor(entry.contentRect.width))))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return [ref, width] as const
}

/** 0 and four round steps up to at least `max`. */
function ticks(max: number): number[] {
  if (max <= 0) return [0, 1]
  const raw = max / 4
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => i * step)
}

export interface TimeChartProps {
  label: string
  times: number[]
  series: Series[]
  kind: 'bars' | 'line'
  format: (value: number) => string
  formatTime: (ms: number) => string
  /** Axis unit, e.g. "ms" or "USD". */
  unit: string
}

/** Values over time: stacked bars (counts, cost) or lines (latency). */
export function TimeChart({ label, times, series, kind, format, formatTime, unit }: TimeChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>()
  const [active, setActive] = useState<number | null>(null)
  const n = times.length
  const innerWidth = width - PAD.left - PAD.right
  const innerHeight = HEIGHT - PAD.top - PAD.bottom
  const totals = times.map((_, i) => (kind === 'bars' ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[i] ?? 0))))
  const yTicks = ticks(Math.max(0, ...totals))
  const yMax = yTicks.at(-1) ?? 1
  const slot = n > 0 ? innerWidth / n : innerWidth
  const x = (i: number) => PAD.left + slot * i + slot / 2
  const y = (value: number) => PAD.top + innerHeight - (value / yMax) * innerHeight
  const labelEvery = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(innerWidth / 90))))

  const pointAt = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const i = Math.floor((event.clientX - box.left - PAD.left) / slot)
    setActive(i >= 0 && i < n ? i : null)
  }
  const keys = (event: KeyboardEvent<SVGSVGElement>) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault()
      const step = event.key === 'ArrowRight' ? 1 : -1
      setActive((current) => Math.min(n - 1, Math.max(0, (current ?? (step > 0 ? -1 : n)) + step)))
    } else if (event.key === 'Escape') setActive(null)
  }

  return (
    <div className="chart" ref={ref}>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`${label}; use the arrow keys to read values`}
        tabIndex={0}
        onPointerMove={pointAt}
        onPointerLeave={() => setActive(null)}
        onKeyDown={keys}
        onBlur={() => setActive(null)}
      >
        {yTicks.map((tick) => (
          <g key={tick} className="grid">
            <line x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {format(tick)}
            </text>
          </g>
        ))}
        <text className="axis-unit" x={12} y={PAD.top + innerHeight / 2} transform={`rotate(-90 12 ${PAD.top + innerHeight / 2})`} textAnchor="middle">
          {unit}
        </text>
        {times.map((time, i) =>
          i % labelEvery === 0 ? (
            <text key={time} className="axis-label" x={x(i)} y={HEIGHT - 8} textAnchor="middle">
              {formatTime(time)}
            </text>
          ) : null,
        )}
        {active !== null && <rect className="hover-band" x={PAD.left + slot * active} y={PAD.top} width={slot} height={innerHeight} />}
        {kind === 'bars'
          ? times.map((time, i) => {
              let base = 0
              return series.map((s) => {
                const value = s.values[i] ?? 0
                const top = y(base + value)
                const rect = <rect key={`${time}-${s.name}`} className={s.className} x={x(i) - Math.max(1, slot * 0.35)} width={Math.max(2, slot * 0.7)} y={top} height={Math.max(0, y(base) - top)} rx={1.5} />
                base += value
                return rect
              })
            })
          : series.map((s) => (
              <g key={s.name} className={s.className}>
                <path
                  className="line"
                  d={s.values
                    .map((value, i) => (value === null ? '' : `${i === 0 || s.values[i - 1] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(value).toFixed(1)}`))
                    .join(' ')}
                />
                {s.values.map((value, i) => (value === null ? null : <circle key={times[i]} cx={x(i)} cy={y(value)} r={active === i ? 4 : n > 60 ? 0 : 2.5} />))}
              </g>
            ))}
      </svg>
      {active !== null && times[active] !== undefined && (
        <div className="tooltip" role="status" style={{ left: Math.min(width - 180, Math.max(0, x(active) - 80)) }}>
          <strong>{formatTime(times[active]!)}</strong>
          {series.map((s) => (
            <div key={s.name} className="tooltip-row">
              <span className={`swatch ${s.className}`} aria-hidden="true" />
              {s.name}: <b>{s.values[active] === null ? '—' : format(s.values[active] ?? 0)}</b>
            </div>
          ))}
        </div>
      )}
      {series.length > 1 && (
        <div className="legend">
          {series.map((s) => (
            <span key={s.name}>
              <span className={`swatch ${s.className}`} aria-hidden="true" /> {s.name}
            </span>
          ))}
        </div>
      )}
    </div>
  )
}

/** Columns over categories (a histogram): axes, counts on hover or focus. */
export function ColumnChart({ label, items, unit }: { label: string; items: { label: string; value: number }[]; unit: string }) {
  const [ref, width] = useWidth<HTMLDivElement>()
  const [active, setActive] = useState<number | null>(null)
  const innerWidth = width - PAD.left - PAD.right
  const innerHeight = HEIGHT - PAD.top - PAD.bottom
  const yTicks = ticks(Math.max(0, ...items.map((item) => item.value)))
  const yMax = yTicks.at(-1) ?? 1
  const slot = items.length > 0 ? innerWidth / items.length : innerWidth
  const y = (value: number) => PAD.top + innerHeight - (value / yMax) * innerHeight
  return (
    <div className="chart" ref={ref}>
      <svg width={width} height={HEIGHT} role="img" aria-label={label}>
        {yTicks.map((tick) => (
          <g key={tick} className="grid">
            <line x1={PAD.left} x2={width - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {tick.toLocaleString('en-US')}
            </text>
          </g>
        ))}
        <text className="axis-unit" x={12} y={PAD.top + innerHeight / 2} transform={`rotate(-90 12 ${PAD.top + innerHeight / 2})`} textAnchor="middle">
          {unit}
        </text>
        {items.map((item, i) => {
          const left = PAD.left + slot * i
          return (
            <g
              key={item.label}
              tabIndex={0}
              role="img"
              aria-label={`${item.label}: ${item.value}`}
              onPointerEnter={() => setActive(i)}
              onPointerLeave={() => setActive(null)}
              onFocus={() => setActive(i)}
              onBlur={() => setActive(null)}
              className="column"
            >
              <rect className="column-hit" x={left} y={PAD.top} width={slot} height={innerHeight} />
              <rect className={active === i ? 'bar-primary active' : 'bar-primary'} x={left + slot * 0.12} width={slot * 0.76} y={y(item.value)} height={Math.max(0, y(0) - y(item.value))} rx={2} />
              <text className="axis-label" x={left + slot / 2} y={HEIGHT - 8} textAnchor="middle">
                {item.label}
              </text>
            </g>
          )
        })}
      </svg>
      {active !== null && items[active] && (
        <div className="tooltip" role="status" style={{ left: Math.min(width - 180, Math.max(0, PAD.left + slot * active + slot / 2 - 80)) }}>
          <strong>{items[active]!.label}</strong>
          <div className="tooltip-row">
            {unit}: <b>{items[active]!.value.toLocaleString('en-US')}</b>
          </div>
        </div>
      )}
    </div>
  )
}

/** Horizontal bars with their value and share: breakdowns by type, model, status, feedback. */
export function BarList({ items, format = (v) => v.toLocaleString('en-US'), empty = 'Nothing yet' }: { items: { label: string; value: number; tone?: string }[]; format?: (value: number) => string; empty?: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>
  const max = Math.max(...items.map((item) => item.value), 1)
  const total = items.reduce((sum, item) => sum + item.value, 0)
  return (
    <ul className="bar-list">
      {items.map((item) => (
        <li key={item.label}>
          <div className="bar-list-label">
            <span className="truncate" title={item.label}>
              {item.label}
            </span>
            <span className="bar-list-value">
              {format(item.value)} <span className="muted">{total > 0 ? `${Math.round((item.value / total) * 100)}%` : ''}</span>
            </span>
          </div>
          <div className="bar-track" aria-hidden="true">
            <div className={`bar-fill ${item.tone ?? ''}`} style={{ width: `${(item.value / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  )
}
