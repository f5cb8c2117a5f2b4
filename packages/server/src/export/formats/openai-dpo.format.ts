import { createHash } from 'node:crypto'
import type { ExportRecord } from '../export-record.js'
import { asText, buildConversation, type Conversation, type TrainingMessage } from './conversation.js'
import type { ExportFormatSpec, ExportOutput, FormatWriter } from './format-writer.js'

const PREFERRED_KINDS = new Set(['accepted', 'thumbs_up'])
const NON_PREFERRED_KINDS = new Set(['rejected', 'thumbs_down'])

/** Rated outputs waiting for an output of the opposite rating for the same input, at most this many. */
export const MAX_WAITING_OUTPUTS = 100_000

interface Waiting {
  preferred: boolean
  output: string
}

/** The prompt and the final text answer of a conversation; undefined when it does not end in text. */
function split(conversation: Conversation): { input: TrainingMessage[]; output: string } | undefined {
  const last = conversation.messages.at(-1)!
  if (typeof last.content !== 'string' || last.tool_calls) return undefined
  return { input: conversation.messages.slice(0, -1), output: last.content }
}

function pairLine(conversation: Conversation, input: TrainingMessage[], preferred: string, nonPreferred: string): string {
  const line = {
    input: { messages: input, ...(conversation.tools ? { tools: conversation.tools } : {}), ...(conversation.parallel_tool_calls === undefined ? {} : { parallel_tool_calls: conversation.parallel_tool_calls }) },
    preferred_output: [{ role: 'assistant', content: preferred }],
    non_preferred_output: [{ role: 'assistant', content: nonPreferred }],
  }
  return `${JSON.stringify(line)}\n`
}

/**
 * `openai-dpo`: OpenAI's preference fine-tuning JSONL (`input`, `preferred_output`,
 * `non_preferred_output`). Two kinds of pairs: a correction (preferred) against the output it
 * corrected; and, for the same input (same messages and tools), an accepted or thumbs-up output against
 * a rejected or thumbs-down one. Rated outputs wait in memory for their other half (bounded by
 * MAX_WAITING_OUTPUTS, keyed by a hash of the input); those still alone at the end are counted as `no_pair`.
 */
class DpoWriter implements FormatWriter {
  private readonly waiting = new Map<string, Waiting[]>()
  private waitingCount = 0

  start(): void {}

  write(record: ExportRecord, out: ExportOutput): void {
    const kind = record.interaction.feedback_kind
    const corrected = record.correction !== undefined
    const preferred = kind !== undefined && PREFERRED_KINDS.has(kind)
    if (!corrected && !preferred && !(kind !== undefined && NON_PREFERRED_KINDS.has(kind))) return out.skip('no_preference')
    const built = buildConversation(record, { useCorrection: false })
    if (built.reason !== undefined) return out.skip(built.reason)
    const parts = split(built.conversation)
    if (!parts) return out.skip('no_text_output')
    if (corrected) {
      const correction = asText(record.correction)
      if (correction.trim() === '') return out.skip('empty_content')
      if (correction === parts.output) return out.skip('same_output')
      return out.row(pairLine(built.conversation, parts.input, correction, parts.output))
    }
    this.pairByRating(built.conversation, parts, preferred, out)
  }

  private pairByRating(conversation: Conversation, parts: { input: TrainingMessage[]; output: string }, preferred: boolean, out: ExportOutput): void {
    const key = createHash('sha256').update(JSON.stringify([parts.input, conversation.tools ?? null])).digest('base64')
    const queue = this.waiting.get(key) ?? []
    const partner = queue.findIndex((other) => other.preferred !== preferred && other.output !== parts.output)
    if (partner >= 0) {
      const [other] = queue.splice(partner, 1)
      this.waitingCount -= 1
      if (queue.length === 0) this.waiting.delete(key)
      const [good, bad] = preferred ? [parts.output, other!.output] : [other!.output, parts.output]
      // Two records made this row; the one that waited is not counted as skipped.
      return out.row(pairLine(conversation, parts.input, good, bad))
    }
    if (this.waitingCount >= MAX_WAITING_OUTPUTS) return out.skip('pairing_buffer_full')
    queue.push({ preferred, output: parts.output })
    this.waiting.set(key, queue)
    this.waitingCount += 1
  }

  end(out: ExportOutput): void {
    for (let i = 0; i < this.waitingCount; i++) out.skip('no_pair')
    this.waiting.clear()
    this.waitingCount = 0
  }
}

export const openAiDpoFormat: ExportFormatSpec = {
  mediaType: 'application/x-ndjson; charset=utf-8',
  extension: 'jsonl',
  view: 'conversation',
  create: () => new DpoWriter(),
}
