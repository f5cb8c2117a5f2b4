import type { TrackDefaults, TrackInput } from './types.js'

/**
 * Layers event fields over defaults: a field set on the event wins, `metadata` is merged key by key
 * (the event's keys win) and `tags` are combined without repeats. Used for client defaults,
 * wrapOpenAI defaults and per-call overrides alike, so the rule is the same everywhere.
 */
export function mergeFields<T extends TrackInput>(base: TrackDefaults | TrackInput | undefined, event: T): T {
  if (!base) return event
  const merged: Record<string, unknown> = { ...base }
  for (const key of Object.keys(event)) {
    const value = (event as Record<string, unknown>)[key]
    if (value !== undefined) merged[key] = value
  }
  if (isPlainObject(base.metadata) && isPlainObject(event.metadata)) {
    merged.metadata = { ...base.metadata, ...event.metadata }
  }
  if (Array.isArray(base.tags) && Array.isArray(event.tags)) {
    merged.tags = [...new Set([...base.tags, ...event.tags])]
  }
  return merged as T
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
