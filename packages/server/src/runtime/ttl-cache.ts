import { systemClock, type Clock } from './clock.js'

interface Entry<V> {
  expiresAt: number
  value: Promise<V>
}

export interface TtlCacheOptions {
  ttlMs: number
  clock?: Clock
  /** Bounds memory; the oldest entry goes first. */
  maxEntries: number
}

/**
 * Values loaded on demand and reused for a TTL. Concurrent misses for one key share a single load; a
 * failed load is not kept. Several replicas each keep their own, so a change made elsewhere is seen
 * once the TTL runs out; a change in this process calls `delete` to be seen at once.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #clock: Clock

  constructor(private readonly options: TtlCacheOptions) {
    this.#clock = options.clock ?? systemClock
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.#clock.now().getTime()
    const cached = this.#entries.get(key)
    if (cached && cached.expiresAt > now) return cached.value

    this.#entries.delete(key) // re-inserted below, so the Map's order stays oldest-first
    if (this.#entries.size >= this.options.maxEntries) this.#evictOldest()
    const entry: Entry<V> = { expiresAt: now + this.options.ttlMs, value: load() }
    this.#entries.set(key, entry)
    // Only this entry goes (a newer one may exist).
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key)
    })
    return entry.value
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  #evictOldest() {
    const oldest = this.#entries.keys().next().value
    if (oldest !== undefined) this.#entries.delete(oldest)
  }
}
