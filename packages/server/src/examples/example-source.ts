import type { Interaction } from '@interlog/schema'

const INPUT_FIELDS = ['messages', 'user_message', 'rendered_prompt', 'input_variables'] as const
const OUTPUT_FIELDS = ['assistant_response', 'structured_output', 'tool_calls'] as const

function pick<K extends keyof Interaction>(interaction: Interaction, fields: readonly K[]): Partial<Pick<Interaction, K>> | undefined {
  const picked: Partial<Pick<Interaction, K>> = {}
  for (const field of fields) if (interaction[field] !== undefined) picked[field] = interaction[field]
  return Object.keys(picked).length > 0 ? picked : undefined
}

/**
 * What an example copies from its interaction: the input fields it has (`messages`, `user_message`,
 * `rendered_prompt`, `input_variables`) and the output fields (`assistant_response`,
 * `structured_output`, `tool_calls`), each as an object of those that are set; undefined when none is.
 */
export function exampleSourceOf(interaction: Interaction): { input: unknown; output: unknown } {
  return { input: pick(interaction, INPUT_FIELDS), output: pick(interaction, OUTPUT_FIELDS) }
}
