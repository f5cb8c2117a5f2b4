import { DAY_MS, HOUR_MS, type Period } from './rollup-deltas.js'

export type Interval = 'hour' | 'day'
export const INTERVAL_MS: Record<Interval, number> = { hour: HOUR_MS, day: DAY_MS }

export interface RangePiece {
  /** Where the numbers of this piece come from: raw rows, or rollups of a period. */
  source: 'scan' | Period
  from: number
  to: number
}

const floorTo = (ts: number, unit: number) => Math.floor(ts / unit) * unit
const ceilTo = (ts: number, unit: number) => Math.ceil(ts / unit) * unit

/**
 * Splits [from, to) into pieces that together cover it exactly once: whole days from daily rollups
 * (when the series is daily), whole hours from hourly rollups, and the partial hours at the edges
 * from raw rows.
 */
export function planRanges(from: number, to: number, interval: Interval): RangePiece[] {
  const firstHour = ceilTo(from, HOUR_MS)
  const lastHour = floorTo(to, HOUR_MS)
  if (firstHour >= lastHour) return from < to ? [{ source: 'scan', from, to }] : []
  const pieces: RangePiece[] = []
  const push = (source: RangePiece['source'], start: number, end: number) => {
    if (start < end) pieces.push({ source, from: start, to: end })
  }
  push('scan', from, firstHour)
  const firstDay = ceilTo(firstHour, DAY_MS)
  const lastDay = floorTo(lastHour, DAY_MS)
  if (interval === 'hour' || firstDay >= lastDay) {
    push('h', firstHour, lastHour)
  } else {
    push('h', firstHour, firstDay)
    push('d', firstDay, lastDay)
    push('h', lastDay, lastHour)
  }
  push('scan', lastHour, to)
  return pieces
}
