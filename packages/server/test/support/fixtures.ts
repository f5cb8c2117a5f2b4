import type { Feedback, InteractionInput } from '@interlog/schema'

let counter = 0

/** A realistic interaction; override what a test cares about. */
export function anInteraction(overrides: Partial<InteractionInput> = {}): InteractionInput {
  counter += 1
  return {
    type: 'chat',
    provider: 'openai',
    model: 'gpt-4o-mini',
    user_id: 'user-1',
    thread_id: 'thread-1',
    user_message: `question ${counter}`,
    assistant_response: `answer ${counter}`,
    prompt_tokens: 10,
    completion_tokens: 20,
    latency_ms: 120,
    metadata: { app: 'test' },
    ...overrides,
  }
}

/** Stored feedback as the feedback service builds it; override what a test cares about. */
export function aFeedback(id: string, interactionId: string, kind: Feedback['kind'], quality: number | null, createdAt: string): Feedback {
  return {
    id,
    interaction_id: interactionId,
    kind,
    sentiment: null,
    quality_score: quality,
    comment: null,
    correction: null,
    categories: [],
    edit_distance: null,
    created_at: createdAt,
  }
}
