/** How a stream ended, from the app's side. */
export type StreamEnd = { kind: 'completed' } | { kind: 'cancelled' } | { kind: 'failed'; error: unknown }

export interface StreamObserver {
  onItem(item: unknown): void
  /** Called exactly once. */
  onEnd(end: StreamEnd): void
}

type IteratorFactory = () => AsyncIterator<unknown>

/**
 * Watches the items of an OpenAI `Stream` as the app reads them, without reading anything itself: the
 * app gets the very same Stream object (same class, controller, tee(), toReadableStream()) and the very
 * same items, errors and timing. The hook sits on the stream's iterator factory, which every way of
 * reading the stream goes through; for other async iterables, on the instance's Symbol.asyncIterator.
 */
export function observeStream<S>(stream: S, observer: StreamObserver): S {
  const target = stream as { iterator?: unknown; [Symbol.asyncIterator]?: unknown }
  if (typeof target.iterator === 'function') {
    const original = target.iterator as IteratorFactory
    target.iterator = () => observeIterator(original.call(stream), observer)
  } else if (typeof target[Symbol.asyncIterator] === 'function') {
    const original = target[Symbol.asyncIterator] as IteratorFactory
    Object.defineProperty(stream, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: () => observeIterator(original.call(stream), observer),
    })
  }
  return stream
}

function observeIterator(inner: AsyncIterator<unknown>, observer: StreamObserver): AsyncIterableIterator<unknown> {
  let ended = false
  const end = (outcome: StreamEnd) => {
    if (ended) return
    ended = true
    observer.onEnd(outcome)
  }
  const watched: AsyncIterableIterator<unknown> = {
    async next(...args: [] | [unknown]) {
      let result: IteratorResult<unknown>
      try {
        result = await inner.next(...args)
      } catch (error) {
        end({ kind: 'failed', error })
        throw error
      }
      if (result.done) end({ kind: 'completed' })
      else observer.onItem(result.value)
      return result
    },
    async return(value?: unknown) {
      // The app stopped reading early (break, or a cancelled ReadableStream).
      end({ kind: 'cancelled' })
      return inner.return ? inner.return(value) : { done: true, value }
    },
    [Symbol.asyncIterator]() {
      return watched
    },
  }
  if (inner.throw) {
    const throwInto = inner.throw.bind(inner)
    watched.throw = async (error?: unknown) => {
      end({ kind: 'failed', error })
      return throwInto(error)
    }
  }
  return watched
}
