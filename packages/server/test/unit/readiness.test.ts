import { DEFAULT_READINESS_THRESHOLDS } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import type { AuditEvent } from '../../src/audit/audit.service.js'
import type { AuthContext } from '../../src/auth/auth-context.js'
import { scoreReadiness } from '../../src/readiness/readiness.scoring.js'
import { ReadinessService } from '../../src/readiness/readiness.service.js'
import type { ExampleFilter, InteractionFilter, StoredReadinessSettings } from '../../src/store/store.js'

const defaults = DEFAULT_READINESS_THRESHOLDS
const enough = { interactions: 50, successful: 30, with_feedback: 10, quality_examples: 20 }

describe('scoreReadiness', () => {
  it('gives 100 and ready when every default criterion is met, with each threshold and value', () => {
    const readiness = scoreReadiness(defaults, { ...enough, interactions: 500 }, {})
    expect(readiness).toMatchObject({ score: 100, ready: true, ready_score: 70, type: null, category: null })
    expect(readiness.criteria.map((c) => [c.name, c.threshold, c.value, c.met, c.points])).toEqual([
      ['interactions', 50, 500, true, 25],
      ['successful', 30, 30, true, 25],
      ['with_feedback', 10, 10, true, 25],
      ['quality_examples', 20, 20, true, 25],
    ])
    expect(readiness.recommendations).toEqual(['The data is ready for fine-tuning: export it with GET /v1/export?format=openai-chat.'])
  })

  it('gives each criterion a quarter in proportion to its threshold, rounding down', () => {
    // 25 + 25 + 25 * 5/10 + 25 * 3/20 = 66.25
    const readiness = scoreReadiness(defaults, { ...enough, with_feedback: 5, quality_examples: 3 }, { type: 'chat' })
    expect(readiness).toMatchObject({ score: 66, ready: false, type: 'chat' })
    expect(readiness.criteria.find((c) => c.name === 'quality_examples')).toMatchObject({ met: false, points: 3.75, max_points: 25 })
    // One short of a threshold is not met, and the score stays below 100.
    expect(scoreReadiness(defaults, { ...enough, interactions: 49 }, {})).toMatchObject({ score: 99, ready: true })
  })

  it('is ready from the ready score on, even with a criterion unmet, and still says what is missing', () => {
    const readiness = scoreReadiness(defaults, { ...enough, quality_examples: 0 }, { type: 'chat', category: 'web' })
    expect(readiness).toMatchObject({ score: 75, ready: true })
    expect(readiness.recommendations).toEqual([
      "The data of type 'chat' in category 'web' is ready for fine-tuning: export it with GET /v1/export?format=openai-chat&type=chat&category=web.",
      "Curate 20 more examples of type 'chat' in category 'web' with a quality_score of at least 70 (0 of 20): POST /v1/examples from your best interactions.",
    ])
    expect(scoreReadiness({ ...defaults, ready_score: 80 }, { ...enough, quality_examples: 0 }, {}).ready).toBe(false)
  })

  it('recommends a next step for each unmet criterion, pointing at failures when interactions fail', () => {
    const readiness = scoreReadiness(defaults, { interactions: 40, successful: 12, with_feedback: 0, quality_examples: 19 }, {})
    expect(readiness.ready).toBe(false)
    expect(readiness.recommendations).toEqual([
      'Log 10 more interactions (40 of 50).',
      '18 more successful interactions are needed (12 of 30); 28 did not succeed: GET /v1/failures shows what goes wrong.',
      'Collect feedback on 10 more interactions (0 of 10 have some): POST /v1/interactions/{id}/feedback, or feedback() in the SDK.',
      'Curate 1 more examples with a quality_score of at least 70 (19 of 20): POST /v1/examples from your best interactions.',
    ])
    expect(scoreReadiness(defaults, { interactions: 0, successful: 0, with_feedback: 0, quality_examples: 0 }, {})).toMatchObject({ score: 0, ready: false })
    expect(scoreReadiness(defaults, { interactions: 0, successful: 0, with_feedback: 0, quality_examples: 0 }, {}).recommendations[0]).toMatch(/^No interactions are logged yet/)
  })

  it('counts a threshold of 0 as met', () => {
    const readiness = scoreReadiness({ ...defaults, min_with_feedback: 0, min_quality_examples: 0 }, { interactions: 50, successful: 30, with_feedback: 0, quality_examples: 0 }, {})
    expect(readiness).toMatchObject({ score: 100, ready: true })
  })
})

describe('ReadinessService', () => {
  const auth: AuthContext = { keyId: 'k', tenantId: 't1', scopes: new Set(['read']), isRoot: false }
  const clock = { now: () => new Date('2026-03-01T00:00:00Z') }

  function service(stored?: StoredReadinessSettings) {
    const calls: { interactions: InteractionFilter[]; examples: ExampleFilter[] } = { interactions: [], examples: [] }
    let settings = stored
    const audited: AuditEvent[] = []
    const readiness = new ReadinessService(
      {
        sums: async <C extends string>(_tenant: string, filter: InteractionFilter, counters: readonly C[]) => {
          calls.interactions.push(filter)
          return Object.fromEntries(counters.map((c) => [c, { n: 60, success_n: 40, feedback_n: 4 }[c as 'n']])) as Record<C, number>
        },
      },
      {
        count: async (_tenant: string, filter: ExampleFilter) => {
          calls.examples.push(filter)
          return 8
        },
      },
      { get: async () => settings, put: async (_tenant, next) => void (settings = next) },
      clock,
      { record: async (_tenant, event) => void audited.push(event) as never },
    )
    return { readiness, calls, audited }
  }

  it("scores with the tenant's thresholds, counting quality examples from its minimum score, narrowed to a bound user", async () => {
    const { readiness, calls } = service({ thresholds: { min_with_feedback: 4, quality_example_min_score: 85, min_quality_examples: 8 }, updated_at: 'then' })
    const report = await readiness.report({ ...auth, userId: 'ann' }, { type: 'chat' })
    expect(report).toMatchObject({ score: 100, ready: true })
    expect(calls.interactions).toEqual([{ type: 'chat', user_id: 'ann' }])
    expect(calls.examples).toEqual([{ type: 'chat', user_id: 'ann', min_quality: 85 }])
  })

  it('answers the defaults until thresholds are set, and a put replaces them whole', async () => {
    const { readiness, audited } = service()
    expect(await readiness.getSettings(auth)).toEqual({ ...defaults, updated_at: null })
    await readiness.putSettings(auth, { min_interactions: 10, ready_score: 50 })
    expect(await readiness.putSettings(auth, { min_successful: 5 })).toEqual({ ...defaults, min_successful: 5, updated_at: '2026-03-01T00:00:00.000Z' })
    expect(await readiness.getSettings(auth)).toEqual({ ...defaults, min_successful: 5, updated_at: '2026-03-01T00:00:00.000Z' })
    expect(audited.map((event) => [event.action, event.details])).toEqual([
      ['settings.readiness.update', { min_interactions: 10, ready_score: 50 }],
      ['settings.readiness.update', { min_successful: 5 }],
    ])
    await expect(readiness.putSettings(auth, { ready_score: 101, min_interactions: -1 })).rejects.toMatchObject({
      status: 400,
      details: { issues: [expect.objectContaining({ path: 'min_interactions' }), expect.objectContaining({ path: 'ready_score' })] },
    })
  })
})
