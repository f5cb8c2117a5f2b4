import { uuidv7 } from 'uuidv7'

/** Side effects behind small interfaces so tests can be deterministic. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface IdGenerator {
  next(): string
}

export const uuidv7Ids: IdGenerator = { next: () => uuidv7() }
