import type { Interlog } from '../client.js'
import { InterlogError } from '../errors.js'
import { mergeFields } from '../merge-fields.js'
import type { TrackDefaults, TrackInput } from '../types.js'
import { observeApiPromise } from './api-promise.js'
import type { CallMapper } from './call-mapper.js'
import { CallRecording } from './call-recording.js'
import { chatCompletionsMapper } from './chat-completions.js'
import { record, type Loose } from './read.js'
import { responsesMapper } from './responses.js'
import type { InterlogWrapped } from './wrapped-types.js'

type Method = (this: unknown, ...args: unknown[]) => unknown
type Overrides = Record<string, (original: unknown, owner: object) => unknown>

/**
 * Instruments an official `openai` client: `chat.completions.create` (plain and streamed) and
 * `responses.create` each log one interaction; everything else passes straight through. The app gets
 * exactly the result or exception it would have got unwrapped. `defaults` (type, userId, threadId...)
 * go on every interaction; wrapping is cheap, so wrap per request to bind a user and thread.
 */
export function wrapOpenAI<T extends object>(client: T, interlog: Interlog, defaults: TrackDefaults = {}): InterlogWrapped<T> {
  try {
    if (typeof client !== 'object' || client === null || typeof interlog?.track !== 'function') return client as InterlogWrapped<T>
    const instrument = (mapper: CallMapper) => (create: unknown, owner: object) =>
      typeof create === 'function' ? instrumentCreate(create as Method, owner, mapper, interlog, defaults) : create
    return overrideMembers(client, {
      chat: (chat) => overrideMembers(chat, { completions: (completions) => overrideMembers(completions, { create: instrument(chatCompletionsMapper) }) }),
      responses: (responses) => overrideMembers(responses, { create: instrument(responsesMapper) }),
    }) as InterlogWrapped<T>
  } catch (error) {
    interlog?.reportProblem?.(new InterlogError('instrumentation_failed', 'wrapOpenAI could not wrap this client', { cause: error }))
    return client as InterlogWrapped<T>
  }
}

function instrumentCreate(create: Method, owner: object, mapper: CallMapper, interlog: Interlog, defaults: TrackDefaults): Method {
  return function instrumentedCreate(body: unknown, ...rest: unknown[]): unknown {
    const params = record(body)
    // The `interlog` option never reaches OpenAI, whether or not collection is on.
    let request: unknown = body
    let callFields: unknown
    if (params && 'interlog' in params) {
      const { interlog: given, ...withoutOption } = params
      callFields = given
      request = withoutOption
    }
    if (!params || !interlog.enabled) return create.call(owner, request, ...rest)

    const recording = startRecording(interlog, mapper, request as Loose, mergeFields(defaults, (record(callFields) ?? {}) as TrackInput))
    let result: unknown
    try {
      result = create.call(owner, request, ...rest)
    } catch (error) {
      recording?.fail(error)
      throw error
    }
    if (!recording || !isThenable(result)) return result
    const streamed = (request as Loose).stream === true
    return observeApiPromise(result, {
      onValue: (value) => (streamed ? recording.observe(value) : recording.complete(value)),
      onError: (error) => recording.fail(error),
    })
  }
}

function startRecording(interlog: Interlog, mapper: CallMapper, params: Loose, appFields: TrackInput): CallRecording | undefined {
  try {
    return new CallRecording(interlog, mapper, params, appFields)
  } catch (error) {
    interlog.reportProblem(new InterlogError('instrumentation_failed', 'could not start recording an OpenAI call', { cause: error }))
    return undefined
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * A Proxy that replaces a few members and forwards the rest. Forwarded methods are bound to the real
 * object (the openai classes keep private fields a Proxy does not carry) and cached, so a method read
 * twice is the same function both times.
 */
function overrideMembers<T>(target: T, overrides: Overrides): T {
  if (typeof target !== 'object' || target === null) return target
  const cache = new Map<PropertyKey, { source: unknown; value: unknown }>()
  return new Proxy(target, {
    get(object, property) {
      const source: unknown = Reflect.get(object, property, object)
      const cached = cache.get(property)
      if (cached && cached.source === source) return cached.value
      const override = typeof property === 'string' ? overrides[property] : undefined
      let value = source
      if (override) value = override(source, object)
      else if (typeof source === 'function') value = (source as Method).bind(object)
      cache.set(property, { source, value })
      return value
    },
  })
}
