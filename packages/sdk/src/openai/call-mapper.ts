import type { TrackInput } from '../types.js'
import type { Loose } from './read.js'

/** Turns one kind of OpenAI call (chat completions, responses) into interaction fields. */
export interface CallMapper {
  /** From the request alone: model, messages, parameters. */
  request(params: Loose): TrackInput
  /** From a complete (non-streamed) result. */
  response(result: Loose, params: Loose): TrackInput
  /** A fresh accumulator for the items of one stream. */
  stream(): StreamAccumulator
}

export interface StreamAccumulator {
  add(item: unknown): void
  /** True once an item carried generated output: the moment that marks time to first token. */
  readonly producedOutput: boolean
  fields(params: Loose): TrackInput
}
