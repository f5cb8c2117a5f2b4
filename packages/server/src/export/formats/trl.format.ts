import { conversationLines, type TrainingMessage } from './conversation.js'
import type { ExportFormatSpec } from './format-writer.js'

/** Chat templates (Hugging Face transformers) take tool call arguments as objects, not JSON text. */
function argumentsValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Tool messages also name their tool: several chat templates render the name rather than the call id. */
function trlMessages(messages: TrainingMessage[]) {
  const toolNames = new Map<string, string>()
  return messages.map((message) => {
    if (message.tool_calls) {
      for (const call of message.tool_calls) toolNames.set(call.id, call.function.name)
      return {
        ...message,
        tool_calls: message.tool_calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.function.name, arguments: argumentsValue(call.function.arguments) },
        })),
      }
    }
    const name = message.role === 'tool' ? toolNames.get(message.tool_call_id!) : undefined
    return name === undefined ? message : { ...message, name }
  })
}

/**
 * `trl`: Hugging Face TRL's conversational language-modeling format, `{"messages": [...]}` per line
 * (with a `tools` column of JSON-schema function definitions when the model was offered tools), ready
 * for `SFTTrainer` through `datasets.load_dataset("json", ...)`.
 */
export const trlFormat: ExportFormatSpec = {
  mediaType: 'application/x-ndjson; charset=utf-8',
  extension: 'jsonl',
  view: 'conversation',
  create: () => conversationLines(({ messages, tools }) => (tools ? { messages: trlMessages(messages), tools } : { messages: trlMessages(messages) })),
}
