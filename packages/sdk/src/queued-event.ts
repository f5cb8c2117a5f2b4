import type { FeedbackInput, TrackInput } from './types.js'

/**
 * An event as it waits in the queue: the caller's input kept as given, to be converted, redacted and
 * serialised in the background, off the caller's path. `seq` orders events for flush().
 */
export type QueuedEvent =
  | { kind: 'interaction'; seq: number; id: string; recordedAt: number; input: TrackInput }
  | { kind: 'feedback'; seq: number; id: string; feedback: FeedbackInput }

export type QueuedInteraction = Extract<QueuedEvent, { kind: 'interaction' }>
export type QueuedFeedback = Extract<QueuedEvent, { kind: 'feedback' }>
