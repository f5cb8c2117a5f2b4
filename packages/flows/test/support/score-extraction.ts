import { OfflineExtractor } from '../../src/index.js'
import type { LabelledConversation } from '../fixtures/conversations.js'

export const SCORED_FIELDS = { name: "The customer's full name", email: "The customer's email address", phone: "The customer's phone number", ask: 'What the customer needs help with' }
export type ScoredField = keyof typeof SCORED_FIELDS

export interface FieldScore {
  truePositives: number
  extracted: number
  expected: number
  precision: number
  recall: number
  misses: string[]
}

const correct = (field: ScoredField, got: string, want: string) => (field === 'ask' ? got.toLowerCase().includes(want) : got === want)

/** Runs the offline extractor on every conversation and scores each field: precision, recall and what went wrong. */
export async function scoreOffline(conversations: LabelledConversation[]): Promise<Record<ScoredField, FieldScore>> {
  const extractor = new OfflineExtractor()
  const scores = Object.fromEntries(
    Object.keys(SCORED_FIELDS).map((field) => [field, { truePositives: 0, extracted: 0, expected: 0, precision: 1, recall: 1, misses: [] as string[] }]),
  ) as Record<ScoredField, FieldScore>
  for (const conversation of conversations) {
    const messages = conversation.messages.map(([role, content]) => ({ role, content }))
    const { values } = await extractor.extract({ messages, fields: SCORED_FIELDS })
    for (const field of Object.keys(SCORED_FIELDS) as ScoredField[]) {
      const got = values[field]
      const want = conversation.expected[field]
      const score = scores[field]
      if (want !== undefined) score.expected += 1
      if (got !== undefined) score.extracted += 1
      if (got !== undefined && want !== undefined && correct(field, got, want)) score.truePositives += 1
      else if (got !== undefined || want !== undefined) score.misses.push(`${conversation.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
    }
  }
  for (const score of Object.values(scores)) {
    score.precision = score.extracted === 0 ? 1 : score.truePositives / score.extracted
    score.recall = score.expected === 0 ? 1 : score.truePositives / score.expected
  }
  return scores
}
