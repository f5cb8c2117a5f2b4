import type { ExportFormat } from '@interlog/schema'
import { csvFormat } from './csv.format.js'
import type { ExportFormatSpec } from './format-writer.js'
import { jsonFormat, jsonlFormat } from './json.format.js'
import { openAiChatFormat } from './openai-chat.format.js'
import { openAiDpoFormat } from './openai-dpo.format.js'
import { trlFormat } from './trl.format.js'

/** Every export format behind the one writer interface. */
export const EXPORT_FORMAT_SPECS: Record<ExportFormat, ExportFormatSpec> = {
  json: jsonFormat,
  csv: csvFormat,
  jsonl: jsonlFormat,
  'openai-chat': openAiChatFormat,
  'openai-dpo': openAiDpoFormat,
  trl: trlFormat,
}
