import { defaultFillRandom, type FillRandom } from './uuidv7.js'

/** Whatever `setTimeout` returns on this platform (a number in browsers, an object in Node). */
export type TimerHandle = unknown

/**
 * Every side effect the SDK has, behind one object so tests can swap in fakes. In production the
 * platform's own fetch, clock, randomness and timers are used.
 */
export interface Runtime {
  fetch: (url: string, init: RequestInit) => Promise<Response>
  now: () => number
  random: () => number
  fillRandom: FillRandom
  setTimeout: (callback: () => void, ms: number) => TimerHandle
  clearTimeout: (handle: TimerHandle) => void
}

export function createRuntime(overrides: Partial<Runtime> = {}): Runtime {
  return {
    // Looked up at call time, so a fetch polyfilled after the client was made is still used.
    fetch: (url, init) => globalThis.fetch(url, init),
    now: () => Date.now(),
    random: Math.random,
    fillRandom: defaultFillRandom,
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
    ...overrides,
  }
}

/** In Node, lets the process exit while this timer is pending (browsers and edge runtimes have no such notion). */
export function unrefTimer(handle: TimerHandle): TimerHandle {
  ;(handle as { unref?: () => void } | null)?.unref?.()
  return handle
}

/** In Node, makes this timer keep the process alive again (used while draining before exit). */
export function refTimer(handle: TimerHandle): void {
  ;(handle as { ref?: () => void } | null)?.ref?.()
}
