import type { ChatMessage, InteractionInput, ToolCall } from '@interlog/schema'
import { lastUserText, readInputMessages, readOutput } from './genai.messages.js'
import { AttributeReader } from './otlp.attributes.js'
import type { Attributes, AttributeValue } from './otlp.model.js'

/**
 * GenAI events, which some instrumentations (`@opentelemetry/instrumentation-openai`, OpenLLMetry
 * with events enabled) send as OTLP log records beside the span instead of span attributes:
 * `gen_ai.system.message`, `gen_ai.user.message`, `gen_ai.assistant.message`, `gen_ai.tool.message`
 * and `gen_ai.choice` (bodies in the OpenAI shape), or one `gen_ai.client.inference.operation.details`
 * event with the `gen_ai.input.messages`/`gen_ai.output.messages` attributes of the current conventions.
 */

export interface GenAiEvent {
  name: string
  body: unknown
  attributes: Record<string, unknown>
}

/** The record's event name: the `event_name` field, else the older `event.name` attribute. */
export function eventNameOf(eventName: string, attributes: Attributes): string {
  const fromAttribute = attributes['event.name']
  return eventName || (typeof fromAttribute === 'string' ? fromAttribute : '')
}

export const isGenAiEvent = (name: string) => name.startsWith('gen_ai.')

/** The interaction fields a span's events give. */
export type EventContent = Pick<InteractionInput, 'messages' | 'user_message' | 'assistant_response' | 'tool_calls' | 'finish_reason'>

const MESSAGE_ROLES: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
}

type Body = Record<string, unknown>
const asBody = (body: unknown): Body => (typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : { content: body })

function chatMessage(role: string, body: Body): ChatMessage {
  const content = body.content
  const message: ChatMessage = {
    role: typeof body.role === 'string' ? body.role : role,
    content: typeof content === 'string' || Array.isArray(content) ? content : content === undefined || content === null ? null : JSON.stringify(content),
  }
  if (Array.isArray(body.tool_calls) && body.tool_calls.length > 0) message.tool_calls = body.tool_calls
  if (role === 'tool' && typeof body.id === 'string') message.tool_call_id = body.id
  return message
}

function toolCalls(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((call: { id?: unknown; function?: { name?: unknown; arguments?: unknown } }) => {
    const name = call?.function?.name
    if (typeof name !== 'string' || name === '') return []
    const toolCall: ToolCall = { name }
    if (typeof call.id === 'string') toolCall.id = call.id
    const args = call.function?.arguments
    if (typeof args === 'string') {
      try {
        toolCall.arguments = JSON.parse(args)
      } catch {
        toolCall.arguments = args
      }
    } else if (args !== undefined) toolCall.arguments = args
    return [toolCall]
  })
}

/** What the events of one span (in time order) say about its interaction. */
export function contentOfEvents(events: GenAiEvent[]): EventContent {
  const content: EventContent = {}
  const messages: ChatMessage[] = []
  for (const event of events) {
    const role = MESSAGE_ROLES[event.name]
    if (role) messages.push(chatMessage(role, asBody(event.body)))
    else if (event.name === 'gen_ai.choice') {
      const body = asBody(event.body)
      // The first choice is the answer, as with spans.
      if ((body.index ?? 0) !== 0) continue
      const message = asBody(body.message)
      if (typeof message.content === 'string') content.assistant_response = message.content
      const calls = toolCalls(message.tool_calls)
      if (calls.length > 0) content.tool_calls = calls
      if (typeof body.finish_reason === 'string') content.finish_reason = body.finish_reason.slice(0, 64)
    } else if (event.name === 'gen_ai.client.inference.operation.details') {
      const attributes = new AttributeReader(event.attributes as Attributes)
      messages.push(...(readInputMessages(attributes) ?? []))
      const output = readOutput(attributes)
      if (output?.text !== undefined) content.assistant_response = output.text
      if (output && output.toolCalls.length > 0) content.tool_calls = output.toolCalls
      if (output?.finishReason) content.finish_reason = output.finishReason.slice(0, 64)
    }
  }
  if (messages.length > 0) {
    content.messages = messages
    const userText = lastUserText(messages)
    if (userText !== undefined) content.user_message = userText
  }
  return content
}

/** Fields that a later batch of the same span's prompt events may complete, so they are rebuilt from all events. */
const REBUILT_FROM_EVENTS = new Set<keyof EventContent>(['messages', 'user_message'])

interface WithContent extends EventContent {
  metadata?: Record<string, unknown>
}

/**
 * The interaction with what its events give: only fields the span did not carry itself (a span's own
 * attributes win). Undefined when nothing changes.
 */
export function withEventContent<T extends WithContent>(interaction: T, content: EventContent): T | undefined {
  const otel = (interaction.metadata?.otel ?? {}) as Record<string, AttributeValue>
  const fromEvents = new Set(Array.isArray(otel.fields_from_events) ? (otel.fields_from_events as string[]) : [])
  const next: T = { ...interaction }
  let changed = false
  for (const [field, value] of Object.entries(content) as [keyof EventContent, unknown][]) {
    const free = interaction[field] === undefined || (fromEvents.has(field) && REBUILT_FROM_EVENTS.has(field))
    if (!free || JSON.stringify(interaction[field]) === JSON.stringify(value)) continue
    ;(next as Record<string, unknown>)[field] = value
    fromEvents.add(field)
    changed = true
  }
  if (!changed) return undefined
  next.metadata = { ...interaction.metadata, otel: { ...otel, fields_from_events: [...fromEvents].sort() } }
  return next
}
