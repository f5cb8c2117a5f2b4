import type { InteractionInput } from '@interlog/schema'
import { realisticInteractions, seededRandom } from '../query/realistic-data.js'

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Find an order by its number',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    },
  },
]

/**
 * The query benchmark's realistic interactions, shaped like what apps log for training: a quarter
 * carry the chat `messages` (system prompt and user turn), a tenth an agent step with a tool call and
 * its result (and the tool offered in `model_parameters.tools`), and about 2% have no answer at all
 * (failures), which the openai-chat export must skip.
 */
export function* trainingInteractions(count: number, end: number, days: number): Generator<InteractionInput> {
  const random = seededRandom(7)
  for (const { input } of realisticInteractions(count, end, days)) {
    const roll = random()
    if (roll < 0.25) {
      input.messages = [
        { role: 'system', content: 'You are a helpful support assistant for an online shop.' },
        { role: 'user', content: input.user_message ?? '' },
      ]
    } else if (roll < 0.35) {
      const orderId = `A-${Math.floor(random() * 1e6)}`
      input.model_parameters = { temperature: 0.2, tools: TOOLS }
      input.tool_calls = [{ id: `call_${orderId}`, name: 'lookup_order', arguments: { order_id: orderId }, result: { status: 'shipped', eta_days: 2 }, status: 'success' }]
    }
    if (input.status === 'failure' && random() < 0.25) delete input.assistant_response
    yield input
  }
}
