/** Scripted OpenAI payloads, shaped as the real API returns them. */

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

export const usage = {
  prompt_tokens: 120,
  completion_tokens: 30,
  total_tokens: 150,
  prompt_tokens_details: { cached_tokens: 64, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 12, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
}

export function plainCompletion(content: string) {
  return {
    id: 'chatcmpl-plain',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage,
  }
}

export const toolCallCompletion = {
  id: 'chatcmpl-tools',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage,
}

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-stream',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices,
  ...extra,
})

/** A streamed reply with text, a tool call split over chunks, and the final usage chunk (empty choices). */
export const streamChunks = [
  chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: 'Hello' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: ', world' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
  chunk([], { usage }),
]

export const rateLimitError = {
  error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', param: null, code: 'rate_limit_exceeded' },
}

export const responsesResult = {
  id: 'resp_1',
  object: 'response',
  created_at: 1_700_000_000,
  status: 'completed',
  model: 'gpt-4.1-mini-2025-04-14',
  output: [
    { type: 'function_call', id: 'fc_1', call_id: 'call_r1', name: 'get_weather', arguments: '{"city":"Rome"}', status: 'completed' },
    {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Checking the weather in Rome.', annotations: [] }],
    },
  ],
  incomplete_details: null,
  error: null,
  usage: {
    input_tokens: 80,
    input_tokens_details: { cached_tokens: 16 },
    output_tokens: 20,
    output_tokens_details: { reasoning_tokens: 8 },
    total_tokens: 100,
  },
}

export const responsesStreamEvents = [
  { type: 'response.created', sequence_number: 0, response: { ...responsesResult, status: 'in_progress', output: [], usage: null } },
  { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Checking the weather', logprobs: [] },
  { type: 'response.output_text.delta', sequence_number: 2, item_id: 'msg_1', output_index: 1, content_index: 0, delta: ' in Rome.', logprobs: [] },
  { type: 'response.completed', sequence_number: 3, response: responsesResult },
]
