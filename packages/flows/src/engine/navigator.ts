import type { FlowMessage } from '@interlog/schema'
import { describe, evaluate, llmStatements } from '../definition/conditions.js'
import type { ConditionInput, Edge } from '../definition/flow.types.js'
import type { LlmClient, LlmUsage } from '../llm/llm-client.js'
import { knownFacts, transcript } from '../llm/transcript.js'

export interface Choice {
  edge: Edge
  reason: string
  judgedBy: 'always' | 'condition' | 'llm'
}

export interface Judgement {
  verdicts: Map<string, boolean>
  reason: string
  usage: LlmUsage
}

/** Judges described conditions (statements) true or false; the LLM navigator does it in one call. */
export type Judge = (statements: string[]) => Promise<Judgement>

export interface Navigation {
  choice?: Choice
  judgement?: Judgement
}

/** The first edge, in order, whose condition holds. Described conditions are judged together, once. */
export async function navigate(edges: readonly Edge[], input: ConditionInput, judge: Judge | undefined): Promise<Navigation> {
  const statements = [...new Set(edges.flatMap((edge) => llmStatements(edge.when)))]
  const judgement = statements.length > 0 && judge ? await judge(statements) : undefined
  const verdicts = judgement?.verdicts ?? new Map<string, boolean>()
  for (const edge of edges) {
    if (!evaluate(edge.when, input, verdicts)) continue
    const byLlm = llmStatements(edge.when).length > 0
    const judgedBy = edge.when === undefined ? 'always' : byLlm ? 'llm' : 'condition'
    const reason = byLlm && judgement ? `${describe(edge.when)} (navigator: ${judgement.reason})` : describe(edge.when)
    return { choice: { edge, reason, judgedBy }, judgement }
  }
  return { judgement }
}

const INSTRUCTIONS = [
  'You decide where a customer service conversation goes next.',
  'Judge each statement true or false from the conversation and the known facts. Base it on what the customer actually said.',
  'Give a one-sentence reason.',
].join('\n')

/** An LLM judging statements through a forced tool call: one boolean per statement, plus a reason. */
export function llmJudge(llm: LlmClient, messages: () => readonly FlowMessage[], context: () => Readonly<Record<string, unknown>>): Judge {
  return async (statements) => {
    const keys = statements.map((_statement, index) => `s${index + 1}`)
    const properties: Record<string, unknown> = Object.fromEntries(keys.map((key, index) => [key, { type: 'boolean', description: statements[index] }]))
    properties.reason = { type: 'string', description: 'why, in one sentence' }
    const { arguments: args, usage } = await llm.callTool(
      'navigation',
      [
        { role: 'system', content: INSTRUCTIONS },
        { role: 'user', content: `Known facts:\n${knownFacts(context())}\n\nConversation:\n${transcript(messages())}` },
      ],
      {
        name: 'judge_statements',
        description: 'Say which statements are true.',
        parameters: { type: 'object', properties, required: [...keys, 'reason'], additionalProperties: false },
      },
    )
    const verdicts = new Map(statements.map((statement, index) => [statement, args[keys[index]!] === true]))
    return { verdicts, reason: typeof args.reason === 'string' ? args.reason : 'no reason given', usage }
  }
}
