import type { LlmClient } from '../llm/llm-client.js'
import { transcript } from '../llm/transcript.js'
import type { ExtractionOutcome, ExtractionRequest, Extractor } from './extractor.js'

export const UPDATE_CONTEXT_TOOL = 'update_context'

const INSTRUCTIONS = [
  'You extract facts about the customer from a support conversation.',
  'Take values only from what the Customer wrote. Never take them from the Agent’s messages: the agent may mention other people, examples or its own details.',
  `Call ${UPDATE_CONTEXT_TOOL} with every field the customer has stated, in the customer's words (normalise phone numbers and emails as written).`,
  'Leave out any field the customer has not stated. Do not guess.',
].join('\n')

/** Extraction by an LLM through a forced `update_context` tool call whose parameters are the fields still empty. */
export class LlmExtractor implements Extractor {
  readonly engine = 'llm' as const

  constructor(private readonly llm: LlmClient) {}

  async extract(request: ExtractionRequest): Promise<ExtractionOutcome> {
    const names = Object.keys(request.fields)
    if (names.length === 0) return { values: {}, engine: this.engine }
    const properties = Object.fromEntries(Object.entries(request.fields).map(([name, description]) => [name, { type: 'string', description }]))
    const { arguments: args, usage } = await this.llm.callTool(
      'extraction',
      [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: `Conversation:\n${transcript(request.messages)}` },
      ],
      {
        name: UPDATE_CONTEXT_TOOL,
        description: 'Record the facts the customer has stated. Include only fields with a value.',
        parameters: { type: 'object', properties, additionalProperties: false },
      },
    )
    const values: Record<string, string> = {}
    for (const name of names) {
      const value = args[name]
      const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : ''
      if (text !== '') values[name] = text
    }
    return { values, engine: this.engine, usage }
  }
}
