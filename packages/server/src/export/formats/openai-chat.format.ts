import { conversationLines } from './conversation.js'
import type { ExportFormatSpec } from './format-writer.js'

/**
 * `openai-chat`: OpenAI's chat fine-tuning JSONL, one `{"messages": [...], "tools"?: [...]}` per line.
 * Roles system, user, assistant and tool; assistant `tool_calls` with `arguments` as JSON text; tool
 * results as `tool` messages with their `tool_call_id`; the latest correction as the final answer.
 */
export const openAiChatFormat: ExportFormatSpec = {
  mediaType: 'application/x-ndjson; charset=utf-8',
  extension: 'jsonl',
  view: 'conversation',
  create: () => conversationLines((conversation) => conversation),
}
