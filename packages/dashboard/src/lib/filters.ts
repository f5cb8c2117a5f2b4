/** The interaction filters as they live in the URL, shared by the table, failures, export and links. */

export const FILTER_KEYS = [
  'q',
  'from',
  'to',
  'type',
  'status',
  'model',
  'provider',
  'category',
  'user_id',
  'thread_id',
  'session_id',
  'tag',
  'feedback_kind',
  'min_quality_score',
  'max_quality_score',
  'min_confidence',
  'max_confidence',
  'handoff',
  'min_latency_ms',
  'max_latency_ms',
] as const
export type FilterKey = (typeof FILTER_KEYS)[number]
export type Filters = Partial<Record<FilterKey, string>>

export const FEEDBACK_KINDS = ['thumbs_up', 'thumbs_down', 'accepted', 'rejected', 'modified', 'edit', 'report'] as const

export const SORTS = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'slowest', label: 'Slowest first' },
  { value: 'costliest', label: 'Most expensive first' },
  { value: 'relevance', label: 'Best match (search)' },
] as const

export function filtersFrom(params: URLSearchParams): Filters {
  const filters: Filters = {}
  for (const key of FILTER_KEYS) {
    const value = params.get(key)
    if (value) filters[key] = value
  }
  return filters
}

/** `?a=1&b=2` from filters and extra parameters, leaving out empty ones. */
export function searchOf(filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value) params.set(key, value)
  const text = params.toString()
  return text ? `?${text}` : ''
}

export const activeFilterCount = (filters: Filters) => Object.values(filters).filter(Boolean).length
