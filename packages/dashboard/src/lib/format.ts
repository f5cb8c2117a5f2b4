/** Number, money, duration and date formats used everywhere, so a figure reads the same on every page. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

export const formatInt = (value: number | null | undefined) => (value === null || value === undefined ? '—' : integer.format(value))

export const formatCompact = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : Math.abs(value) < 10_000 ? integer.format(value) : compact.format(value)

export const formatPercent = (rate: number | null | undefined, digits = 1) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  return `${(ms / 60_000).toFixed(1)} min`
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  if (value === 0) return '$0'
  if (Math.abs(value) < 0.01) return `$${value.toFixed(5)}`
  if (Math.abs(value) < 1) return `$${value.toFixed(3)}`
  if (Math.abs(value) < 100) return `$${value.toFixed(2)}`
  return `$${integer.format(value)}`
}

const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' })
const hourFormat = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hour12: false })

export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—')
export const formatDay = (ms: number) => dayFormat.format(new Date(ms))
export const formatHour = (ms: number) => hourFormat.format(new Date(ms))

/** `2026-11-21T10:00:00.000Z` → the value of an <input type="datetime-local"> in local time, and back. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 16)
}
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

export const pretty = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2))
