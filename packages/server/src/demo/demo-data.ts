import type { FeedbackInput, InteractionInput, ToolCall } from '@interlog/schema'
import { seededRandom } from '../runtime/random.js'

/** One generated interaction, with the feedback a user later gave it (if any). */
export interface DemoItem {
  interaction: InteractionInput & { id: string }
  feedback?: FeedbackInput
}

const MODELS = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-3-5-sonnet-20241022'],
  ['anthropic', 'claude-3-5-haiku-20241022'],
  ['google', 'gemini-1.5-flash'],
] as const

const ERRORS = [
  { error_type: 'RateLimitError', error_message: 'Rate limit reached for requests per minute. Please try again in 20s.' },
  { error_type: 'Timeout', error_message: 'The upstream model did not answer within 30 s' },
  { error_type: 'ContextLengthExceeded', error_message: "This model's maximum context length is 128000 tokens; the request used 131072" },
  { error_type: 'ValidationError', error_message: 'Structured output did not match the schema: sections is required' },
]

const QUESTIONS: [intent: string, question: string, answer: string][] = [
  ['order_status', 'Where is my order #A-1042? It was supposed to arrive yesterday.', 'Order A-1042 shipped on Monday and is with the carrier; the new estimate is tomorrow before 6 pm.'],
  ['refund_request', 'I was charged twice for my subscription this month, can I get a refund?', 'I can see two charges of $12.00 on the 3rd. I have refunded the duplicate; it will show in 3-5 business days.'],
  ['password_reset', 'I cannot log in, the reset email never arrives.', 'I have sent a new reset link to the address on file. Please also check your spam folder.'],
  ['plan_change', 'How do I upgrade from Starter to the Team plan?', 'Open Settings → Billing and choose Team. The price difference is prorated for this month.'],
  ['cancel', 'Please cancel my account, the app keeps crashing on startup.', 'I am sorry about the crashes. I have passed this to a colleague who can help with the cancellation and the crash report.'],
  ['shipping_address', 'Can I change the delivery address for an order that already shipped?', 'Once shipped, the carrier can redirect it: I have requested a redirect to the new address.'],
]
const FOLLOW_UPS = ['Thanks! And when will I get an email confirmation?', 'Great, can you also check my other order?', 'That did not work, I still see the old value.', 'Perfect, thank you.']
const TOPICS = ['Onboarding new engineers', 'Quarterly sales review', 'Intro to vector databases', 'Remote team rituals', 'GDPR for startups', 'Kitchen renovation budget']
const AUDIENCES = ['engineering managers', 'new hires', 'executives', 'customers']
const TONES = ['friendly', 'formal', 'concise']
const DOCS = [
  'The quarterly report shows revenue up 12% with churn flat; the APAC region grew fastest while EMEA slowed after the pricing change.',
  'Meeting notes: the team agreed to ship the billing migration in two phases, freeze schema changes next week and add a rollback plan.',
  'Customer review: delivery was late but support resolved it quickly; the product itself works well, though setup took an hour.',
]
const LABELS = ['billing', 'bug_report', 'feature_request', 'account', 'shipping']
const COMMENTS = ['Exactly what I needed', 'Too long', 'Wrong order number', 'Made up a policy we do not have', 'Good tone', 'Missed the second question']

/**
 * Realistic sample data for `interlog demo`: support conversations with tool calls, intents,
 * confidence and hand-offs; outline generation from prompt templates (some with missing variables);
 * summaries; classifications with structured output; agent steps; failures with stack traces; and
 * feedback. Deterministic for a seed; timestamps spread over the `days` before `end`.
 */
export function demoItems(count: number, end: number, options: { days?: number; seed?: number } = {}): DemoItem[] {
  const random = seededRandom(options.seed ?? 7)
  const days = options.days ?? 14
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const chance = (p: number) => random() < p
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
  const items: DemoItem[] = []
  let seq = 0

  const base = (at: number, type: string): InteractionInput & { id: string } => {
    const [provider, model] = MODELS[Math.floor(random() ** 1.4 * MODELS.length)]!
    const prompt = int(150, 2400)
    const failed = chance(0.07)
    return {
      id: `demo-${(++seq).toString().padStart(5, '0')}-${Math.floor(random() * 1e6).toString(36)}`,
      timestamp: new Date(at).toISOString(),
      type,
      provider,
      model,
      category: pick(['web', 'mobile', 'api']),
      user_id: `user-${int(1, 40)}`,
      prompt_tokens: prompt,
      completion_tokens: failed ? 0 : int(20, 700),
      cached_tokens: chance(0.3) ? Math.floor(prompt / 2) : 0,
      latency_ms: Math.round(Math.exp(5.8 + random() * 2.6)),
      model_parameters: { temperature: pick([0, 0.2, 0.7]), max_tokens: 1024 },
      tags: chance(0.25) ? ['beta'] : [],
      metadata: { app_version: `2.${int(0, 9)}.${int(0, 20)}`, region: pick(['eu-west-1', 'us-east-1']) },
      ...(failed ? failure(pick(ERRORS), model) : chance(0.03) ? { status: 'partial' as const, finish_reason: 'length' } : { finish_reason: 'stop' }),
    }
  }
  const failure = (error: (typeof ERRORS)[number], model: string) => ({
    ...error,
    error_details: {
      request_id: `req_${Math.floor(random() * 1e12).toString(36)}`,
      model,
      stack: `${error.error_type}: ${error.error_message}\n    at callModel (src/llm/client.ts:88:11)\n    at async runTurn (src/agent/turn.ts:41:18)\n    at async handler (src/routes/chat.ts:23:5)`,
    },
  })
  const tool = (name: string, args: unknown, result: unknown): ToolCall =>
    chance(0.08)
      ? { id: `call_${++seq}`, name, arguments: args, status: 'failure', error: 'upstream timeout after 5000 ms', latency_ms: 5000 }
      : { id: `call_${++seq}`, name, arguments: args, result, status: 'success', latency_ms: int(40, 900) }
  const feedback = (): FeedbackInput | undefined => {
    if (!chance(0.3)) return undefined
    const kind = pick(['thumbs_up', 'thumbs_up', 'thumbs_up', 'thumbs_down', 'accepted', 'rejected', 'modified', 'report'] as const)
    const positive = kind === 'thumbs_up' || kind === 'accepted'
    return {
      kind,
      ...(chance(0.7) ? { quality_score: positive ? int(70, 100) : int(5, 55) } : {}),
      ...(chance(0.4) ? { comment: pick(COMMENTS) } : {}),
      ...(kind === 'modified' ? { correction: 'Your order shipped on Monday; the carrier now expects delivery tomorrow.', categories: ['factual'] } : {}),
    }
  }
  const push = (interaction: InteractionInput & { id: string }) => items.push({ interaction, feedback: feedback() })

  while (items.length < count) {
    const at = end - random() ** 1.5 * days * 86_400_000
    const scenario = random()
    if (scenario < 0.4) {
      // A support conversation: a few turns in one thread, minutes apart.
      const thread = `thread-${(++seq).toString(36)}`
      const [intent, question, answer] = pick(QUESTIONS)
      const turns = int(1, 4)
      const user = `user-${int(1, 40)}`
      // Later turns follow minutes apart; the conversation still ends before `end`.
      const start = Math.min(at, end - turns * 240_000)
      const messages: InteractionInput['messages'] = [{ role: 'system', content: 'You are Acme support. Be brief and accurate; never invent policies.' }]
      for (let turn = 0; turn < turns && items.length < count; turn++) {
        const it = base(start + turn * int(40, 240) * 1000, 'support_chat')
        const userMessage = turn === 0 ? question : pick(FOLLOW_UPS)
        const reply = turn === 0 ? answer : 'Done: I have updated that for you. Anything else I can help with?'
        messages.push({ role: 'user', content: userMessage })
        const confidence = Math.round((0.35 + random() * 0.64) * 100) / 100
        const handoff = intent === 'cancel' || confidence < 0.45
        const calls = turn === 0 && intent === 'order_status' ? [tool('lookup_order', { order_id: 'A-1042' }, { status: 'shipped', carrier: 'DHL', eta: 'tomorrow' })] : []
        push({
          ...it,
          user_id: user,
          thread_id: thread,
          session_id: `session-${thread}`,
          user_message: userMessage,
          messages: [...messages],
          ...(it.status === undefined && it.error_type === undefined ? { assistant_response: reply } : {}),
          tool_calls: calls,
          intents: [{ name: intent, confidence }, ...(chance(0.3) ? [{ name: 'small_talk', confidence: Math.round(random() * 30) / 100 }] : [])],
          confidence,
          handoff,
          ...(handoff ? { handoff_reason: intent === 'cancel' ? 'cancellation needs a human' : 'low confidence' } : {}),
          message_type: turn === 0 ? 'question' : 'follow_up',
        })
        messages.push({ role: 'assistant', content: reply })
      }
    } else if (scenario < 0.62) {
      const it = base(at, 'outline_generation')
      const variables: Record<string, string> = { topic: pick(TOPICS) }
      if (chance(0.8)) variables.audience = pick(AUDIENCES)
      if (chance(0.85)) variables.tone = pick(TONES)
      push({
        ...it,
        prompt_id: 'course-outline',
        prompt_version: pick(['v3', 'v4']),
        rendered_prompt: `Write a course outline about "${variables.topic}" for ${variables.audience ?? '{{audience}}'} in a ${variables.tone ?? '{{tone}}'} tone. Answer as JSON with a title and sections.`,
        input_variables: variables,
        required_variables: ['topic', 'audience', 'tone'],
        user_message: `Outline: ${variables.topic}`,
        ...(it.error_type === undefined ? { structured_output: { title: variables.topic, sections: ['Why it matters', 'Core ideas', 'Hands-on exercise', 'Next steps'].slice(0, int(2, 4)) } } : {}),
      })
    } else if (scenario < 0.76) {
      const document = pick(DOCS)
      push({ ...base(at, 'summarize'), user_message: `Summarize: ${document}`, assistant_response: document.split(/[;,:]/)[0] + '.' })
    } else if (scenario < 0.88) {
      const label = pick(LABELS)
      const score = Math.round((0.5 + random() * 0.5) * 100) / 100
      push({ ...base(at, 'classify'), user_message: `Ticket: ${pick(QUESTIONS)[1]}`, structured_output: { label, score }, confidence: score, intents: [{ name: label, confidence: score }] })
    } else {
      const it = base(at, 'agent_step')
      const confidence = Math.round((0.3 + random() * 0.7) * 100) / 100
      push({
        ...it,
        user_message: 'Add the new lead from the call notes to the CRM and schedule a follow-up.',
        assistant_response: 'Added Dana Reyes (dana@example.com) as a lead and booked a follow-up for Thursday 10:00.',
        tool_calls: [
          tool('search_docs', { query: 'lead intake checklist' }, { hits: 3 }),
          tool('add_new_data', { table: 'leads', row: { name: 'Dana Reyes', email: 'dana@example.com' } }, { id: 'lead_981' }),
          tool('schedule_meeting', { with: 'dana@example.com', at: 'Thursday 10:00' }, { calendar_event: 'evt_77' }),
        ],
        intents: [{ name: 'crm_update', confidence }],
        confidence,
        handoff: confidence < 0.4,
        ...(confidence < 0.4 ? { handoff_reason: 'could not match the lead to an account' } : {}),
        message_type: 'task',
      })
    }
  }
  return items
}
