export { Interlog } from './client.js'
export type { InterlogOptions } from './options.js'
export { InteractionHandle } from './interaction-builder.js'
export { InterlogError, type InterlogErrorCode } from './errors.js'
export { uuidv7 } from './uuidv7.js'
export { wrapOpenAI } from './openai/wrap-openai.js'
export type { InterlogCallOption, InterlogWrapped } from './openai/wrapped-types.js'
export type { Runtime, TimerHandle } from './runtime.js'
export type { Redact } from './wire/serialize.js'
export type { FeedbackInput, InterlogStats, TimeInput, ToolCallInput, TrackDefaults, TrackInput } from './types.js'
export type {
  FeedbackKind,
  InteractionStatus,
  OutgoingEvent,
  ToolCallStatus,
  WireChatMessage,
  WireFeedback,
  WireInteraction,
  WireToolCall,
} from './wire/wire-types.js'
