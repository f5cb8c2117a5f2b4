import { InterlogError, type ErrorReporter } from './errors.js'
import { backoffDelay, isRetryableStatus, type BackoffPolicy } from './retry.js'
import type { Runtime } from './runtime.js'
import { postJson, type PostOutcome } from './transport.js'

export interface DeliverySettings {
  baseUrl: string
  apiKey: string | undefined
  timeoutMs: number
  maxRetries: number
  backoff: BackoffPolicy
  keepalive: boolean
}

export interface DeliveryCounters {
  sent: number
  failed: number
  retries: number
}

export interface DeliveryContext {
  runtime: Runtime
  settings: DeliverySettings
  report: ErrorReporter
  counters: DeliveryCounters
  /** Aborted when shutdown's deadline passes: stop at once and give the events up. */
  signal: AbortSignal
  /** Waits between attempts; resolves early when `signal` aborts. */
  sleep: (ms: number) => Promise<void>
}

export interface SerializedItem {
  id: string
  json: string
}

type FinalOutcome =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'gave_up'; reason: string }
  | { kind: 'aborted' }

/**
 * Sends a batch to POST /v1/interactions and accounts for every item. The ids inside are idempotency
 * keys, so sending the same batch again after a lost answer stores nothing twice.
 */
export async function deliverInteractions(context: DeliveryContext, items: SerializedItem[]): Promise<void> {
  const body = `{"interactions":[${items.map((item) => item.json).join(',')}]}`
  const outcome = await postWithRetries(context, `${context.settings.baseUrl}/v1/interactions`, body)
  if (outcome.kind !== 'response') return giveUp(context, items, outcome)
  if (outcome.status === 413 && items.length > 1) {
    // Too large for the server's body limit: halve until the pieces fit.
    const middle = Math.ceil(items.length / 2)
    await deliverInteractions(context, items.slice(0, middle))
    await deliverInteractions(context, items.slice(middle))
    return
  }
  if (outcome.status >= 200 && outcome.status < 300) return applyItemResults(context, items, outcome.body)
  reject(context, items, outcome.status, outcome.body)
}

/** Sends one feedback to POST /v1/interactions/:id/feedback. */
export async function deliverFeedback(context: DeliveryContext, item: SerializedItem): Promise<void> {
  const url = `${context.settings.baseUrl}/v1/interactions/${encodeURIComponent(item.id)}/feedback`
  const outcome = await postWithRetries(context, url, item.json)
  if (outcome.kind !== 'response') return giveUp(context, [item], outcome)
  if (outcome.status >= 200 && outcome.status < 300) context.counters.sent++
  else reject(context, [item], outcome.status, outcome.body)
}

async function postWithRetries(context: DeliveryContext, url: string, body: string): Promise<FinalOutcome> {
  const { settings, runtime } = context
  for (let attempt = 0; ; attempt++) {
    const outcome = await postJson(runtime, {
      url,
      body,
      apiKey: settings.apiKey,
      timeoutMs: settings.timeoutMs,
      keepalive: settings.keepalive,
      signal: context.signal,
    })
    if (outcome.kind === 'aborted') return outcome
    if (outcome.kind === 'response' && !isRetryableStatus(outcome.status)) return outcome
    if (attempt >= settings.maxRetries) return { kind: 'gave_up', reason: describeFailure(outcome) }
    context.counters.retries++
    const retryAfterMs = outcome.kind === 'response' ? outcome.retryAfterMs : undefined
    const delay =
      retryAfterMs !== undefined
        ? Math.min(retryAfterMs, settings.backoff.maxDelayMs)
        : backoffDelay(attempt, settings.backoff, runtime.random)
    await context.sleep(delay)
    if (context.signal.aborted) return { kind: 'aborted' }
  }
}

function describeFailure(outcome: PostOutcome): string {
  switch (outcome.kind) {
    case 'response':
      return `HTTP ${outcome.status}${errorText(outcome.body)}`
    case 'timeout':
      return 'request timed out'
    case 'network_error':
      return `network error: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`
    case 'aborted':
      return 'aborted'
  }
}

function giveUp(context: DeliveryContext, items: SerializedItem[], outcome: Exclude<FinalOutcome, { kind: 'response' }>): void {
  context.counters.failed += items.length
  const eventIds = items.map((item) => item.id)
  const error =
    outcome.kind === 'aborted'
      ? new InterlogError('shutdown_timeout', `${items.length} event(s) abandoned at the shutdown deadline`, { eventIds })
      : new InterlogError(
          'delivery_failed',
          `${items.length} event(s) not delivered after ${context.settings.maxRetries} retries: ${outcome.reason}`,
          { eventIds },
        )
  context.report(error)
}

function reject(context: DeliveryContext, items: SerializedItem[], status: number, body: unknown): void {
  context.counters.failed += items.length
  const eventIds = items.map((item) => item.id)
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code === 'collection_disabled' ? 'collection_disabled' : 'rejected'
  context.report(
    new InterlogError(code, `server refused ${items.length} event(s): HTTP ${status}${errorText(body)}`, {
      eventIds,
      status,
      details: body,
    }),
  )
}

interface ItemResult {
  index?: unknown
  status?: unknown
  error?: { code?: unknown; message?: unknown; details?: unknown }
}

/** 201 (stored) and 200 (same id already stored) both count as sent; refused items (400, 403, 409) are reported, never retried. */
function applyItemResults(context: DeliveryContext, items: SerializedItem[], body: unknown): void {
  const results = (body as { results?: unknown } | undefined)?.results
  const settled = new Array<boolean>(items.length).fill(false)
  const refused: { id: string; status: number; error: unknown }[] = []
  if (Array.isArray(results)) {
    for (const result of results as ItemResult[]) {
      const index = typeof result.index === 'number' ? result.index : -1
      const item = items[index]
      if (!item || settled[index]) continue
      settled[index] = true
      if (result.status === 200 || result.status === 201) context.counters.sent++
      else refused.push({ id: item.id, status: Number(result.status), error: result.error })
    }
  }
  // A 2xx without a result for an item still means the server took the batch.
  context.counters.sent += settled.filter((done) => !done).length
  if (refused.length === 0) return
  context.counters.failed += refused.length
  const first = refused[0]!
  const firstError = first.error as ItemResult['error']
  context.report(
    new InterlogError(
      'rejected',
      `server refused ${refused.length} of ${items.length} event(s); first: ${first.id} HTTP ${first.status} ${String(firstError?.code ?? '')} ${String(firstError?.message ?? '')}`.trim(),
      { eventIds: refused.map((item) => item.id), status: first.status, details: refused },
    ),
  )
}

function errorText(body: unknown): string {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
  if (!error || typeof error !== 'object') return ''
  return ` ${String(error.code ?? '')}: ${String(error.message ?? '')}`
}
