export interface ResultObserver {
  /** Sees the parsed result; returns what the app should get (the same value, possibly instrumented). */
  onValue(value: unknown): unknown
  onError(error: unknown): void
}

/**
 * Observes an OpenAI `APIPromise` without changing what the app sees. The result is a Proxy of the
 * original, so `instanceof`, `asResponse()`, `withResponse()` and every other member still work; only
 * the ways of reaching the parsed result (then/catch/finally/withResponse) pass through the observer.
 * Nothing is read before the app asks: a caller using `asResponse()` keeps an unread body.
 */
export function observeApiPromise<P extends PromiseLike<unknown>>(original: P, observer: ResultObserver): P {
  let observed: Promise<unknown> | undefined
  const result = (): Promise<unknown> =>
    (observed ??= Promise.resolve(
      original.then(
        (value) => observer.onValue(value),
        (error: unknown) => {
          observer.onError(error)
          throw error
        },
      ),
    ))

  return new Proxy(original, {
    get(target, property) {
      if (property === 'then') return (onFulfilled?: unknown, onRejected?: unknown) => result().then(onFulfilled as never, onRejected as never)
      if (property === 'catch') return (onRejected?: unknown) => result().catch(onRejected as never)
      if (property === 'finally') return (onFinally?: () => void) => result().finally(onFinally)
      const value: unknown = Reflect.get(target, property, target)
      if (property === 'withResponse' && typeof value === 'function') {
        // Same parse, shared: the app's data is the observed value, its Response untouched.
        return () => Promise.all([result(), (value as () => Promise<unknown>).call(target)]).then(([, withResponse]) => withResponse)
      }
      // Methods run against the real promise: they may use private fields a Proxy does not carry.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
