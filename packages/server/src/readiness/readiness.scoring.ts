import type { Readiness, ReadinessCriterion, ReadinessThresholds } from '@interlog/schema'

/** Each of the four criteria is worth a quarter of the score. */
const MAX_POINTS = 25

export interface ReadinessCounts {
  interactions: number
  successful: number
  with_feedback: number
  quality_examples: number
}

export interface ReadinessScope {
  type?: string
  category?: string
}

function scopePhrase({ type, category }: ReadinessScope): string {
  const parts = [type === undefined ? '' : ` of type '${type}'`, category === undefined ? '' : ` in category '${category}'`]
  return parts.join('')
}

function exportQuery({ type, category }: ReadinessScope): string {
  const params = new URLSearchParams({ format: 'openai-chat' })
  if (type !== undefined) params.set('type', type)
  if (category !== undefined) params.set('category', category)
  return params.toString()
}

function criterion(name: ReadinessCriterion['name'], description: string, threshold: number, value: number): ReadinessCriterion {
  const share = threshold <= 0 ? 1 : Math.min(1, value / threshold)
  return { name, description, threshold, value, met: value >= threshold, points: Math.round(share * MAX_POINTS * 100) / 100, max_points: MAX_POINTS }
}

/** Plain-language next steps for the criteria not met yet, or how to go on when the data is ready. */
function recommend(criteria: ReadinessCriterion[], counts: ReadinessCounts, thresholds: ReadinessThresholds, scope: ReadinessScope, ready: boolean): string[] {
  const where = scopePhrase(scope)
  const advice: string[] = []
  const short = (c: ReadinessCriterion) => c.threshold - c.value
  for (const c of criteria.filter((one) => !one.met)) {
    if (c.name === 'interactions') {
      advice.push(
        counts.interactions === 0
          ? `No interactions${where} are logged yet: send them with POST /v1/interactions or the SDK (${c.threshold} are needed).`
          : `Log ${short(c)} more interactions${where} (${c.value} of ${c.threshold}).`,
      )
    } else if (c.name === 'successful') {
      const unsuccessful = counts.interactions - counts.successful
      advice.push(
        `${short(c)} more successful interactions${where} are needed (${c.value} of ${c.threshold})` +
          (unsuccessful > 0 ? `; ${unsuccessful} did not succeed: GET /v1/failures shows what goes wrong.` : '.'),
      )
    } else if (c.name === 'with_feedback') {
      advice.push(`Collect feedback on ${short(c)} more interactions${where} (${c.value} of ${c.threshold} have some): POST /v1/interactions/{id}/feedback, or feedback() in the SDK.`)
    } else {
      advice.push(
        `Curate ${short(c)} more examples${where} with a quality_score of at least ${thresholds.quality_example_min_score} (${c.value} of ${c.threshold}): POST /v1/examples from your best interactions.`,
      )
    }
  }
  if (ready) advice.unshift(`The data${where} is ready for fine-tuning: export it with GET /v1/export?${exportQuery(scope)}.`)
  return advice
}

/**
 * The readiness score: each criterion adds up to 25 points in proportion to how much of its threshold
 * is reached (a threshold of 0 is always met), rounded down, so 100 means every criterion is met.
 * Ready from `ready_score` on.
 */
export function scoreReadiness(thresholds: ReadinessThresholds, counts: ReadinessCounts, scope: ReadinessScope): Readiness {
  const criteria = [
    criterion('interactions', 'interactions logged', thresholds.min_interactions, counts.interactions),
    criterion('successful', 'interactions that succeeded (status success)', thresholds.min_successful, counts.successful),
    criterion('with_feedback', 'interactions with feedback', thresholds.min_with_feedback, counts.with_feedback),
    criterion('quality_examples', `curated examples with quality_score >= ${thresholds.quality_example_min_score}`, thresholds.min_quality_examples, counts.quality_examples),
  ]
  const exact = criteria.reduce((sum, c) => sum + (c.threshold <= 0 ? 1 : Math.min(1, c.value / c.threshold)) * MAX_POINTS, 0)
  const score = Math.min(100, Math.floor(exact + 1e-9))
  const ready = score >= thresholds.ready_score
  return {
    type: scope.type ?? null,
    category: scope.category ?? null,
    score,
    ready,
    ready_score: thresholds.ready_score,
    criteria,
    recommendations: recommend(criteria, counts, thresholds, scope, ready),
  }
}
