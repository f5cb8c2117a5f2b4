import type { InterlogError, InterlogOptions, Runtime } from '../../src/index.js'

export interface RecordedCall {
  url: string
  body: unknown
  headers: Record<string, string>
}

export type FakeReply = { status: number; body?: unknown; headers?: Record<string, string> } | Error

/** Timers at least this long (flush interval, request timeout in unit tests) run for real; shorter ones fire at once. */
export const LONG_TIMER_MS = 60_000

/**
 * A runtime whose fetch answers from a script (or like interlog by default) and whose timers record the
 * delay asked for; delays under LONG_TIMER_MS fire within a millisecond, so retry and backoff logic runs
 * fast and its waits are observable.
 */
export function fakeRuntime(script: (call: RecordedCall, index: number) => FakeReply | Promise<FakeReply> = acceptAll) {
  const calls: RecordedCall[] = []
  const delays: number[] = []
  const runtime: Partial<Runtime> = {
    random: () => 0.5,
    fetch: async (url, init) => {
      const call: RecordedCall = {
        url,
        body: JSON.parse(String(init.body)),
        headers: init.headers as Record<string, string>,
      }
      calls.push(call)
      const reply = await script(call, calls.length - 1)
      if (reply instanceof Error) throw reply
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status, headers: reply.headers })
    },
    setTimeout: (callback, ms) => {
      delays.push(ms)
      return setTimeout(callback, ms < LONG_TIMER_MS ? Math.min(ms, 1) : ms)
    },
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  }
  return { runtime, calls, delays }
}

/** Answers a batch the way interlog does when every item is new. */
export function acceptAll(call: RecordedCall): FakeReply {
  const items = (call.body as { interactions?: { id: string }[] }).interactions
  if (!items) return { status: 201, body: { id: 'feedback' } }
  return {
    status: 207,
    body: { results: items.map((item, index) => ({ index, id: item.id, status: 201 })), created: items.length, duplicates: 0, failed: 0 },
  }
}

/** Options for unit tests: no exit hooks, long intervals (tests flush explicitly), errors collected. */
export function unitOptions(runtime: Partial<Runtime>, errors: InterlogError[], extra: InterlogOptions = {}): InterlogOptions {
  return {
    baseUrl: 'http://interlog.test',
    apiKey: 'il_test_key',
    flushIntervalMs: LONG_TIMER_MS,
    timeoutMs: LONG_TIMER_MS,
    retryMaxDelayMs: 10_000,
    retryBaseDelayMs: 100,
    registerExitHandler: false,
    onError: (error) => errors.push(error),
    runtime,
    ...extra,
  }
}
