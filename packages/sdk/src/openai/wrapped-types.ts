import type { TrackDefaults } from '../types.js'

/** Per-call fields for an instrumented call, passed as `interlog` in the request body and removed before it is sent. */
export interface InterlogCallOption {
  interlog?: TrackDefaults & { id?: string }
}

/**
 * Adds the `interlog` option to each overload of a `create` method (the openai package declares
 * non-streaming, streaming and base overloads). Anything shaped otherwise is left as it is.
 */
type WithCallOption<F> = F extends {
  (body: infer B1, options?: infer O1): infer R1
  (body: infer B2, options?: infer O2): infer R2
  (body: infer B3, options?: infer O3): infer R3
}
  ? {
      (body: B1 & InterlogCallOption, options?: O1): R1
      (body: B2 & InterlogCallOption, options?: O2): R2
      (body: B3 & InterlogCallOption, options?: O3): R3
    }
  : F

type WrappedChat<T> = T extends { chat: { completions: { create: infer C } } } ? { chat: { completions: { create: WithCallOption<C> } } } : unknown
type WrappedResponses<T> = T extends { responses: { create: infer C } } ? { responses: { create: WithCallOption<C> } } : unknown

/**
 * The client type, unchanged (it still is an `OpenAI` wherever one is expected), plus the `interlog`
 * option on the instrumented methods. The original overloads come first, so calls without the option
 * type exactly as before.
 */
export type InterlogWrapped<T> = T & WrappedChat<T> & WrappedResponses<T>
