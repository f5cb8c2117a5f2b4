import { describe, expect, it } from 'vitest'
import { BoundedQueue } from '../src/queue.js'

describe('BoundedQueue', () => {
  it('is first in, first out, and grows as needed up to its bound', () => {
    const queue = new BoundedQueue<number>(1000)
    for (let n = 0; n < 300; n++) expect(queue.push(n)).toBeUndefined()
    expect(queue.length).toBe(300)
    expect(queue.take(3)).toEqual([0, 1, 2])
    expect(queue.shift()).toBe(3)
    expect(queue.peek()).toBe(4)
  })

  it('never holds more than maxSize: pushing into a full queue evicts the oldest', () => {
    const queue = new BoundedQueue<number>(3)
    const evicted = [1, 2, 3, 4, 5].map((n) => queue.push(n))
    expect(evicted).toEqual([undefined, undefined, undefined, 1, 2])
    expect(queue.length).toBe(3)
    expect(queue.take(10)).toEqual([3, 4, 5])
    expect(queue.length).toBe(0)
  })

  it('wraps around correctly after mixed pushes and takes', () => {
    const queue = new BoundedQueue<number>(4)
    queue.push(1)
    queue.push(2)
    queue.shift()
    for (let n = 3; n <= 7; n++) queue.push(n)
    expect(queue.take(10)).toEqual([4, 5, 6, 7])
  })

  it('take() stops at the first item the predicate refuses', () => {
    const queue = new BoundedQueue<string>(10)
    for (const item of ['a', 'b', 'X', 'c']) queue.push(item)
    expect(queue.take(10, (item) => item !== 'X')).toEqual(['a', 'b'])
    expect(queue.peek()).toBe('X')
  })
})
