import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { FlowMessage } from '@interlog/schema'
import { render } from '../definition/template.js'
import type { LlmClient, LlmUsage } from './llm-client.js'
import { knownFacts } from './transcript.js'

/** How much of the conversation the reply writer sees. */
const REPLY_HISTORY = 20

/** Writes an agent reply from a node's instructions, the flow's description and what is known. */
export async function writeReply(
  llm: LlmClient,
  input: { description?: string; instructions: string; context: Readonly<Record<string, unknown>>; messages: readonly FlowMessage[] },
): Promise<{ text: string; usage: LlmUsage }> {
  const system = [
    input.description ?? 'You are a helpful customer service agent.',
    `Your task for this message: ${render(input.instructions, input.context)}`,
    `What we know about the customer so far:\n${knownFacts(input.context)}`,
    'Write only your next message to the customer: short, friendly, no placeholders.',
  ].join('\n\n')
  const history: ChatCompletionMessageParam[] = input.messages.slice(-REPLY_HISTORY).map((message) => ({ role: message.role, content: message.content }))
  return llm.write('a reply', [{ role: 'system', content: system }, ...history])
}
