import type { InteractionInput } from '@interlog/schema'
import { seededRandom } from '../../packages/server/dist/runtime/random.js'

export { seededRandom }

const MODELS = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['openai', 'o3-mini'],
  ['anthropic', 'claude-3-5-sonnet-20241022'],
  ['anthropic', 'claude-3-5-haiku-20241022'],
  ['google', 'gemini-1.5-flash'],
] as const
const TYPES = ['support_chat', 'outline_generation', 'summarize', 'classify', 'agent_step'] as const
const CATEGORIES = ['web', 'mobile', 'api'] as const
const WORDS = (
  'account balance invoice refund order shipping delivery package tracking password login error crash slow ' +
  'payment card subscription plan upgrade downgrade cancel renew discount coupon price charge receipt address ' +
  'email phone number update change delete export report dashboard chart metric latency timeout retry network ' +
  'server database backup restore sync upload download file image video audio document contract policy privacy ' +
  'security token key permission role team member invite manager support ticket urgent question answer help ' +
  'thanks please hello issue problem broken missing wrong late early weekly monthly yearly today tomorrow roof ' +
  'leak water kitchen garden car engine battery tire insurance claim doctor appointment schedule meeting call'
).split(' ')

/**
 * Word frequencies in real text follow Zipf's law: the listed words are the common head, and a long
 * tail of 5,000 rarer made-up words follows, so a search for a mid-frequency word matches a few percent of
 * rows, as real searches do, rather than half of them.
 */
const TAIL = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x`)
const VOCABULARY = [...WORDS, ...TAIL]
const HARMONIC = VOCABULARY.reduce((sum, _, rank) => sum + 1 / (rank + 1), 0)

function zipfWord(random: () => number): string {
  let target = random() * HARMONIC
  for (let rank = 0; rank < VOCABULARY.length; rank++) {
    target -= 1 / (rank + 1)
    if (target <= 0) return VOCABULARY[rank]!
  }
  return VOCABULARY.at(-1)!
}

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () => zipfWord(random)).join(' ')
}

/** A word that appears in about 3% of interactions (rank 300 of the Zipf vocabulary). */
export const MID_FREQUENCY_WORD = VOCABULARY[300]!

/** ~1 KB interactions over `days` before `end`, in time order as logs arrive, mostly one big tenant's. */
export function* realisticInteractions(count: number, end: number, days: number, seed = 42): Generator<{ tenant: number; input: InteractionInput }> {
  const random = seededRandom(seed)
  for (let i = 0; i < count; i++) {
    const [provider, model] = MODELS[Math.floor(random() ** 1.5 * MODELS.length)]!
    const type = TYPES[Math.floor(random() * TYPES.length)]!
    const roll = random()
    const status = roll < 0.9 ? 'success' : roll < 0.97 ? 'failure' : 'partial'
    const prompt = 200 + Math.floor(random() * 2000)
    const completion = 20 + Math.floor(random() * 600)
    const agent = type === 'agent_step' || type === 'support_chat'
    const required = type === 'outline_generation' ? ['topic', 'audience', 'tone'] : undefined
    const input: InteractionInput = {
      timestamp: new Date(end - days * 86_400_000 + ((i + random()) / count) * days * 86_400_000).toISOString(),
      type,
      category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
      provider,
      model,
      user_id: `user-${Math.floor(random() * 5000)}`,
      thread_id: `thread-${Math.floor(random() * 200_000)}`,
      user_message: sentence(random, 12 + Math.floor(random() * 30)),
      assistant_response: sentence(random, 30 + Math.floor(random() * 60)),
      prompt_tokens: prompt,
      completion_tokens: completion,
      cached_tokens: random() < 0.3 ? Math.floor(prompt / 2) : 0,
      latency_ms: Math.round(Math.exp(6 + random() * 2.5)),
      status,
      tags: random() < 0.2 ? ['beta'] : [],
      metadata: { app_version: `1.${Math.floor(random() * 20)}`, region: random() < 0.5 ? 'eu' : 'us' },
      ...(status === 'failure' ? { error_type: random() < 0.5 ? 'Timeout' : 'RateLimit', error_message: 'upstream did not answer in time' } : {}),
      ...(agent ? { confidence: Math.round(random() * 100) / 100, handoff: random() < 0.05, handoff_reason: 'customer asked for a human' } : {}),
      ...(required ? { required_variables: required, input_variables: random() < 0.9 ? { topic: 'x', audience: 'y', tone: 'z' } : { topic: 'x' } } : {}),
    }
    yield { tenant: random() < 0.7 ? 0 : random() < 0.5 ? 1 : 2, input }
  }
}
