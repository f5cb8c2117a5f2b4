import type { InteractionInput } from '@interlog/schema'
import { seededRandom } from '../query/realistic-data.js'


const WORDS = (
  'the order invoice refund shipping account password reset delivery address payment card subscription plan ' +
  'upgrade cancel trial discount coupon warehouse tracking number status delayed customer support agent ' +
  'summary outline chapter draft email reply translate german french report quarterly revenue forecast'
).split(' ')
const MODELS = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4.1'],
  ['anthropic', 'claude-sonnet-4'],
  ['google', 'gemini-2.5-flash'],
] as const
const TYPES = ['chat', 'outline_generation', 'support_reply', 'summarization']
const TAGS = ['prod', 'beta', 'eu', 'us', 'mobile', 'web', 'vip', 'retry']
/** What one message in ten carries, as users type it: something to redact when redaction is on. */
const PERSONAL = [
  'my email is jane.doe@example.com',
  'call me at (415) 555-2671',
  'card 4111 1111 1111 1111 expires 12/27',
  'order 48213377 placed on 2026-03-15 for $129.99',
]

/**
 * Builds `count` varied interactions of about 1 KB of JSON each, shaped like what an app logs for
 * one chat turn: the user's text (one in ten with an email, phone, card or order number in it), the
 * reply, model, usage, ids of user and conversation, tags, metadata.
 * They carry no timestamp: senders stamp the current time (see `stamped`), so the time-ordered
 * indexes see live traffic's append pattern rather than a replay of old times at random positions.
 */
export function makeInteractions(count: number, seed = 42): InteractionInput[] {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const sentence = (chars: number) => {
    const words: string[] = []
    for (let length = 0; length < chars; length += words[words.length - 1]!.length + 1) words.push(pick(WORDS))
    return words.join(' ')
  }
  return Array.from({ length: count }, (): InteractionInput => {
    const [provider, model] = pick(MODELS)
    const promptTokens = int(50, 1500)
    const completionTokens = int(20, 600)
    return {
      latency_ms: int(150, 9000),
      user_id: `user_${int(1, 5000)}`,
      thread_id: `thread_${int(1, 20000)}`,
      type: pick(TYPES),
      provider,
      model,
      user_message: `${sentence(int(120, 260))}${random() < 0.1 ? ` ${pick(PERSONAL)}` : ''}`,
      assistant_response: sentence(int(300, 480)),
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      cost_usd: Math.round(random() * 1e6) / 1e8,
      tags: [pick(TAGS), pick(TAGS)],
      metadata: { app_version: `2.${int(0, 9)}.${int(0, 20)}`, region: pick(['eu-west-1', 'us-east-1']), request_id: `req_${int(1, 1e9)}` },
    }
  })
}

/** Splits items into consecutive batches of `size` (the last one may be shorter). */
export function toBatches<T>(items: T[], size: number): T[][] {
  const batches: T[][] = []
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size))
  return batches
}

/** The interaction as sent: timestamped now, as an app logs a turn that just finished. */
export const stamped = (item: InteractionInput): InteractionInput => ({ timestamp: new Date().toISOString(), ...item })

/**
 * The same as `JSON.stringify({ interactions: items.map(stamped) })`, from items serialised once:
 * the load generator must stay cheap, since it competes with the server for the same two cores.
 */
export function stampedBatchBody(itemsJson: string[]): string {
  const prefix = `{"timestamp":"${new Date().toISOString()}",`
  return `{"interactions":[${itemsJson.map((json) => prefix + json.slice(1)).join(',')}]}`
}
