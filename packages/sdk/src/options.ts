import { InterlogError, type ErrorReporter } from './errors.js'
import type { Runtime } from './runtime.js'
import type { TrackDefaults } from './types.js'
import type { Redact } from './wire/serialize.js'

export interface InterlogOptions {
  /** Where the interlog server listens. Default `http://127.0.0.1:4100`. */
  baseUrl?: string
  /** Sent as `Authorization: Bearer <apiKey>`: an `ingest` key on servers, a user-bound `feedback` key in browsers. */
  apiKey?: string
  /** Send a batch as soon as this many events wait (1 to 1000). Default 50. */
  flushAt?: number
  /** Send what waits at most this long after the first event arrived. Default 1000. */
  flushIntervalMs?: number
  /** Most events held in memory; when full, the oldest are dropped and counted in stats().dropped. Default 10000. */
  maxQueueSize?: number
  /** Further attempts after a network error, timeout, 429 or 5xx, before the batch is given up. Default 5. */
  maxRetries?: number
  /** Per request, headers and body included. Default 10000. */
  timeoutMs?: number
  /** First retry waits about this long; each next one twice as long (with jitter). Default 250. */
  retryBaseDelayMs?: number
  /** Longest wait between attempts, also the cap on a server's Retry-After. Default 60000. */
  retryMaxDelayMs?: number
  /** How long shutdown() (and the drain before Node exits) may take before giving events up. Default 10000. */
  shutdownTimeoutMs?: number
  /** Told about every problem; never called on the caller's stack with an exception to catch. Default: a console.warn at most every 30 s. */
  onError?: (error: InterlogError) => void
  /** false turns every call into a no-op (the data-collection switch). Default true. */
  enabled?: boolean
  /** Applied to every event before it leaves the process (see README). */
  redact?: Redact
  /** Fields merged into every interaction (`type`, `metadata`, `tags`, `userId`...). */
  defaults?: TrackDefaults
  /** In Node, flush on `beforeExit`; in browsers, on page hide. Default true. */
  registerExitHandler?: boolean
  /** Replace the clock, timers, randomness or fetch (tests, custom transports). */
  runtime?: Partial<Runtime>
}

export interface ResolvedOptions {
  baseUrl: string
  apiKey: string | undefined
  flushAt: number
  flushIntervalMs: number
  maxQueueSize: number
  maxRetries: number
  timeoutMs: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
  shutdownTimeoutMs: number
  enabled: boolean
  redact: Redact | undefined
  defaults: TrackDefaults | undefined
  registerExitHandler: boolean
}

const DEFAULT_BASE_URL = 'http://127.0.0.1:4100'
const MAX_BATCH_ITEMS = 1000

/** Reads options without ever throwing: a bad value is reported and replaced by its default. */
export function resolveOptions(options: InterlogOptions, report: ErrorReporter): ResolvedOptions {
  const number = (name: keyof InterlogOptions, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = options[name]
    if (value === undefined) return fallback
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return Math.floor(value)
    report(new InterlogError('invalid_input', `option ${name} must be a number from ${min} to ${max}; using ${fallback}`))
    return fallback
  }
  const maxQueueSize = number('maxQueueSize', 10_000, 1)
  const flushAt = Math.min(number('flushAt', 50, 1, MAX_BATCH_ITEMS), maxQueueSize)
  const baseUrl = readBaseUrl(options.baseUrl, report)
  return {
    baseUrl: baseUrl ?? DEFAULT_BASE_URL,
    apiKey: typeof options.apiKey === 'string' && options.apiKey.length > 0 ? options.apiKey : undefined,
    flushAt,
    flushIntervalMs: number('flushIntervalMs', 1000, 0),
    maxQueueSize,
    maxRetries: number('maxRetries', 5, 0),
    timeoutMs: number('timeoutMs', 10_000, 1),
    retryBaseDelayMs: number('retryBaseDelayMs', 250, 0),
    retryMaxDelayMs: number('retryMaxDelayMs', 60_000, 0),
    shutdownTimeoutMs: number('shutdownTimeoutMs', 10_000, 0),
    // An unusable baseUrl would send every event nowhere: collect nothing rather than fail later.
    enabled: options.enabled !== false && baseUrl !== undefined,
    redact: typeof options.redact === 'function' ? options.redact : undefined,
    defaults: typeof options.defaults === 'object' && options.defaults !== null ? options.defaults : undefined,
    registerExitHandler: options.registerExitHandler !== false,
  }
}

function readBaseUrl(value: unknown, report: ErrorReporter): string | undefined {
  if (value === undefined) return DEFAULT_BASE_URL
  if (typeof value === 'string') {
    try {
      const url = new URL(value)
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href.replace(/\/+$/, '')
    } catch {
      // reported below
    }
  }
  report(new InterlogError('invalid_input', `option baseUrl must be an http(s) URL, got ${JSON.stringify(value)}; the client is disabled`))
  return undefined
}
