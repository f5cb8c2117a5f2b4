/** Why the SDK is telling you something went wrong. Nothing here is ever thrown into app code. */
export type InterlogErrorCode =
  | 'invalid_input' // a call got an argument it cannot use (the rest of the event is still sent when possible)
  | 'queue_overflow' // the queue was full and the oldest events were dropped
  | 'rejected' // the server refused events (400/401/403/404...); they are not retried
  | 'collection_disabled' // the tenant switched data collection off on the server; the events were not stored
  | 'delivery_failed' // still failing after maxRetries (network, timeout, 429, 5xx)
  | 'serialization_failed' // an event could not be turned into JSON (cycle, BigInt...)
  | 'redact_failed' // the redact function threw; the event is dropped rather than sent unredacted
  | 'closed' // a call arrived after shutdown()
  | 'shutdown_timeout' // shutdown gave up on events still undelivered
  | 'instrumentation_failed' // wrapOpenAI could not record a call (the call itself is unaffected)
  | 'internal' // an SDK bug, caught before it reached the app

export class InterlogError extends Error {
  override readonly name = 'InterlogError'
  readonly code: InterlogErrorCode
  /** Ids of the interactions (or of the interaction a feedback belongs to) concerned, when known. */
  readonly eventIds: string[]
  /** HTTP status of the server's answer, when there was one. */
  readonly status: number | undefined
  readonly details: unknown

  constructor(
    code: InterlogErrorCode,
    message: string,
    extra: { eventIds?: string[]; status?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message)
    this.code = code
    this.eventIds = extra.eventIds ?? []
    this.status = extra.status
    this.details = extra.details
    if (extra.cause !== undefined) (this as { cause?: unknown }).cause = extra.cause
  }
}

export type ErrorReporter = (error: InterlogError) => void

/**
 * The default `onError`: a console.warn at most once per interval, so a dead server cannot flood the
 * app's logs; the next message says how many were held back.
 */
export function createRateLimitedWarn(now: () => number, intervalMs = 30_000): ErrorReporter {
  let lastWarnAt = Number.NEGATIVE_INFINITY
  let suppressed = 0
  return (error) => {
    const at = now()
    if (at - lastWarnAt < intervalMs) {
      suppressed++
      return
    }
    const held = suppressed > 0 ? ` (${suppressed} similar messages suppressed)` : ''
    lastWarnAt = at
    suppressed = 0
    console.warn(`[interlog] ${error.code}: ${error.message}${held}`)
  }
}

/** Calls the app's reporter without letting it throw back into the SDK (and from there into the app). */
export function safeReporter(report: ErrorReporter): ErrorReporter {
  return (error) => {
    try {
      report(error)
    } catch {
      // The app's own error handler failed; there is nobody left to tell.
    }
  }
}

export interface DescribedError {
  message: string
  type: string
  details: Record<string, string | number | boolean> | undefined
}

/**
 * Turns anything thrown into the wire's error fields. Details keep only the error's own scalar
 * properties (status, code, param, request_id on OpenAI errors): useful, small, and JSON-safe.
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof Error) {
    const constructorName = (error.constructor as { name?: unknown } | undefined)?.name
    const type = error.name && error.name !== 'Error' ? error.name : typeof constructorName === 'string' ? constructorName : 'Error'
    return { message: error.message || type, type, details: scalarProperties(error) }
  }
  if (typeof error === 'string') return { message: error, type: 'string', details: undefined }
  let message: string
  try {
    message = JSON.stringify(error) ?? String(error)
  } catch {
    message = String(error)
  }
  return { message, type: error === null ? 'null' : typeof error, details: undefined }
}

function scalarProperties(error: Error): Record<string, string | number | boolean> | undefined {
  let found: Record<string, string | number | boolean> | undefined
  for (const key of Object.keys(error)) {
    if (key === 'message' || key === 'stack') continue
    const value = (error as unknown as Record<string, unknown>)[key]
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      found ??= {}
      found[key] = value
    }
  }
  return found
}
