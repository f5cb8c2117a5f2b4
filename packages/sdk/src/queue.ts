/**
 * A FIFO ring buffer that never holds more than `maxSize` items: pushing into a full queue evicts the
 * oldest item. Storage grows by doubling up to `maxSize`, so a large bound costs nothing until used.
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[]
  private head = 0
  private size = 0

  constructor(readonly maxSize: number) {
    this.items = new Array<T | undefined>(Math.min(maxSize, 64))
  }

  get length(): number {
    return this.size
  }

  /** Adds an item at the tail; returns the evicted oldest item when the queue was full. */
  push(item: T): T | undefined {
    if (this.size === this.maxSize) {
      const evicted = this.items[this.head]
      this.items[this.head] = item
      this.head = (this.head + 1) % this.items.length
      return evicted
    }
    if (this.size === this.items.length) this.grow()
    this.items[(this.head + this.size) % this.items.length] = item
    this.size++
    return undefined
  }

  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head]
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head = (this.head + 1) % this.items.length
    this.size--
    return item
  }

  /** Removes and returns up to `max` items from the head, stopping at the first that `accept` refuses. */
  take(max: number, accept: (item: T) => boolean = () => true): T[] {
    const taken: T[] = []
    while (taken.length < max && this.size > 0) {
      const next = this.items[this.head] as T
      if (!accept(next)) break
      taken.push(next)
      this.shift()
    }
    return taken
  }

  private grow(): void {
    const capacity = Math.min(this.items.length * 2, this.maxSize)
    const grown = new Array<T | undefined>(capacity)
    for (let i = 0; i < this.size; i++) grown[i] = this.items[(this.head + i) % this.items.length]
    this.items = grown
    this.head = 0
  }
}
