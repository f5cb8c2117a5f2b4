import { describe, expect, it } from 'vitest'
import { aRecord, runFormat } from './export-formats.support.js'

const ROLES = ['system', 'user', 'assistant', 'tool']
const MESSAGE_KEYS = ['role', 'content', 'name', 'weight', 'tool_calls', 'tool_call_id']

/**
 * OpenAI's published rules for chat fine-tuning files, checked on one line: top-level keys, roles,
 * message keys, content types, tool call shape with arguments as JSON text, tool results answering
 * earlier calls, at least one assistant message and the assistant's answer last.
 */
function openAiChatViolations(line: Record<string, any>): string[] {
  const problems: string[] = []
  for (const key of Object.keys(line)) if (!['messages', 'tools', 'parallel_tool_calls'].includes(key)) problems.push(`unknown top-level key ${key}`)
  const messages = line.messages
  if (!Array.isArray(messages) || messages.length === 0) return [...problems, 'messages must be a non-empty array']
  const openCalls = new Set<string>()
  messages.forEach((message: Record<string, any>, index: number) => {
    const where = `messages[${index}]`
    for (const key of Object.keys(message)) if (!MESSAGE_KEYS.includes(key)) problems.push(`${where} unknown key ${key}`)
    if (!ROLES.includes(message.role)) problems.push(`${where} role ${message.role}`)
    const content = message.content
    if (message.role === 'user') {
      const parts = Array.isArray(content) && content.every((part: any) => (part.type === 'text' && typeof part.text === 'string') || (part.type === 'image_url' && typeof part.image_url?.url === 'string'))
      if (!(typeof content === 'string' && content.trim() !== '') && !parts) problems.push(`${where} user content`)
    }
    if (message.role === 'system' && !(typeof content === 'string' && content.trim() !== '')) problems.push(`${where} system content`)
    if (message.role === 'assistant') {
      if (content !== undefined && typeof content !== 'string') problems.push(`${where} assistant content must be text`)
      if (content === undefined && !message.tool_calls) problems.push(`${where} assistant without content or tool_calls`)
      if (openCalls.size > 0) problems.push(`${where} follows tool calls that got no tool message`)
      for (const call of message.tool_calls ?? []) {
        if (typeof call.id !== 'string' || call.type !== 'function' || typeof call.function?.name !== 'string') problems.push(`${where} tool call shape`)
        if (typeof call.function?.arguments !== 'string') problems.push(`${where} arguments must be a JSON string`)
        else JSON.parse(call.function.arguments)
        openCalls.add(call.id)
      }
    }
    if (message.role === 'tool') {
      if (typeof content !== 'string') problems.push(`${where} tool content must be text`)
      if (!openCalls.delete(message.tool_call_id)) problems.push(`${where} tool_call_id answers no earlier call`)
    }
  })
  if (!messages.some((message: any) => message.role === 'assistant')) problems.push('no assistant message')
  if (messages.at(-1).role !== 'assistant') problems.push('the last message is not the assistant')
  if (line.tools !== undefined) {
    if (!Array.isArray(line.tools)) problems.push('tools must be an array')
    for (const tool of line.tools ?? []) if (tool.type !== 'function' || typeof tool.function?.name !== 'string') problems.push('tool shape')
  }
  return problems
}

const weather = { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }

const VALID = [
  aRecord({ user_message: 'Hi', assistant_response: 'Hello!' }),
  aRecord({ rendered_prompt: 'You answer in French.', user_message: 'Hi', assistant_response: 'Bonjour !' }),
  aRecord({ rendered_prompt: 'Write a haiku about rain.', assistant_response: 'Drops on the window' }),
  aRecord({
    messages: [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is ' }, { type: 'input_text', text: 'this?' }] },
    ],
    assistant_response: 'A cat.',
  }),
  aRecord({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }], assistant_response: 'A cat.' }),
  aRecord({
    messages: [{ role: 'system', content: 'You check the weather.' }, { role: 'user', content: 'Weather in Paris and Rome?' }],
    model_parameters: { tools: [weather, { type: 'web_search' }, { type: 'function', name: 'get_time', parameters: { type: 'object' } }], parallel_tool_calls: true },
    tool_calls: [
      { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' }, result: { celsius: 21 } },
      { name: 'get_weather', arguments: '{"city":"Rome"}', error: 'upstream timeout' },
    ],
    assistant_response: 'Paris is 21°C; Rome did not answer.',
  }),
  aRecord({ user_message: 'Book a table', tool_calls: [{ id: 'call_b', name: 'book', arguments: { people: 2 }, status: 'pending' }], model_parameters: { tools: [weather] } }),
  aRecord({ user_message: 'Capital of France?', assistant_response: 'Lyon' }, 'Paris'),
  aRecord({ user_message: 'Extract the name', structured_output: { name: 'Ada' } }, { name: 'Ada Lovelace' }),
  aRecord({ user_message: 'Classify', structured_output: { label: 'spam' } }),
  aRecord({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello, how can I help?' }] }),
  aRecord({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }], assistant_response: 'Hello!' }),
  aRecord({
    messages: [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Oslo' } } }], refusal: null },
      { role: 'tool', tool_call_id: 'c1', content: '{"celsius":3}' },
    ],
    assistant_response: 'Oslo is 3°C.',
  }),
]

describe('openai-chat export', () => {
  it('writes one line per valid record, each following OpenAI chat fine-tuning rules', () => {
    const { lines, summary } = runFormat('openai-chat', VALID)
    expect(summary).toMatchObject({ records_read: VALID.length, rows_written: VALID.length, skipped_count: 0 })
    lines.forEach((line, index) => expect(openAiChatViolations(line), `line ${index + 1}: ${JSON.stringify(line)}`).toEqual([]))
  })

  it('maps prompts, parts, developer messages and logged conversations onto the roles', () => {
    const [simple, prompted, promptOnly, developer, image, , , , , , logged, dedup, history] = runFormat('openai-chat', VALID).lines
    expect(simple).toEqual({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] })
    expect(prompted!.messages.map((m: any) => m.role)).toEqual(['system', 'user', 'assistant'])
    expect(promptOnly!.messages[0]).toEqual({ role: 'user', content: 'Write a haiku about rain.' })
    expect(developer!.messages.slice(0, 2)).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is this?' }])
    expect(image!.messages[0].content[1]).toEqual({ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } })
    expect(logged!.messages).toEqual([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello, how can I help?' }])
    expect(dedup!.messages).toHaveLength(2)
    expect(history!.messages[1]).toEqual({ role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] })
    expect(history!.messages.at(-1)).toEqual({ role: 'assistant', content: 'Oslo is 3°C.' })
  })

  it('writes tool calls with arguments as JSON text, tool results with their call id, and function tools only', () => {
    const { lines } = runFormat('openai-chat', VALID)
    const agent = lines[5]!
    expect(agent.messages.slice(2)).toEqual([
      {
        role: 'assistant',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"celsius":21}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'upstream timeout' },
      { role: 'assistant', content: 'Paris is 21°C; Rome did not answer.' },
    ])
    expect(agent.tools).toEqual([weather, { type: 'function', function: { name: 'get_time', parameters: { type: 'object' } } }])
    expect(agent.parallel_tool_calls).toBe(true)
    // A pending call with no answer yet: the example teaches the call itself.
    expect(lines[6]!.messages.at(-1)).toEqual({ role: 'assistant', tool_calls: [{ id: 'call_b', type: 'function', function: { name: 'book', arguments: '{"people":2}' } }] })
  })

  it('writes the latest correction instead of the original output', () => {
    const { lines } = runFormat('openai-chat', VALID)
    expect(lines[7]!.messages.at(-1)).toEqual({ role: 'assistant', content: 'Paris' })
    expect(lines[8]!.messages.at(-1)).toEqual({ role: 'assistant', content: '{"name":"Ada Lovelace"}' })
    expect(lines[9]!.messages.at(-1)).toEqual({ role: 'assistant', content: '{"label":"spam"}' })
  })

  it('has a rule checker that catches what OpenAI refuses', () => {
    expect(openAiChatViolations({ messages: [{ role: 'user', content: 'q' }] })).toContain('no assistant message')
    expect(openAiChatViolations({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: { x: 1 } } }] }] })).toContain(
      'messages[1] arguments must be a JSON string',
    )
    expect(openAiChatViolations({ messages: [{ role: 'bot', content: 'q', extra: 1 }, { role: 'tool', tool_call_id: 'zz', content: 'r' }], functions: [] })).toEqual(
      expect.arrayContaining(['unknown top-level key functions', 'messages[0] unknown key extra', 'messages[0] role bot', 'messages[1] tool_call_id answers no earlier call']),
    )
  })

  it('skips and counts, by reason, records that would be invalid', () => {
    const { lines, summary } = runFormat('openai-chat', [
      aRecord({ user_message: 'no answer', status: 'failure', error_message: 'timeout' }),
      aRecord({ user_message: '   ', assistant_response: 'x' }),
      aRecord({ user_message: 'q', assistant_response: '' }),
      aRecord({ messages: [{ role: 'function', content: 'legacy', name: 'f' }], assistant_response: 'x' }),
      aRecord({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA' } }] }], assistant_response: 'x' }),
      aRecord({ messages: [{ role: 'user', content: 'x' }, { role: 'tool', content: 'result' }], assistant_response: 'x' }),
      aRecord({ user_message: 'q', tool_calls: [{ name: 'lookup', arguments: {} }], assistant_response: 'answer without the lookup result' }),
      aRecord({ assistant_response: 'an answer to nothing' }),
      aRecord({ user_message: 'fine', assistant_response: 'kept' }),
    ])
    expect(lines).toHaveLength(1)
    expect(summary).toEqual({
      format: 'openai-chat',
      records_read: 9,
      rows_written: 1,
      skipped_count: 8,
      skipped: {
        no_assistant_message: 1,
        empty_content: 2,
        unsupported_role: 1,
        unsupported_content: 1,
        invalid_tool_call: 1,
        tool_call_without_result: 1,
        no_input: 1,
      },
      truncated: false,
    })
  })
})
