import type { InteractionInput } from '@interlog/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthContext } from '../../src/auth/auth-context.js'
import { exactQuantiles } from '../../src/analytics/latency-sketch.js'
import { MetricsService } from '../../src/analytics/metrics.service.js'
import { normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import { ROW_COUNTERS, type Store } from '../../src/store/store.js'
import type { StoreHarness } from './store.contract.js'
import { aFeedback } from '../support/fixtures.js'

const TENANT = 'metrics-tenant'
const auth: AuthContext = { keyId: 'k', tenantId: TENANT, scopes: new Set(['analytics:view']), isRoot: false }
const now = new Date('2026-01-20T00:00:00Z')

/** The fixed data set; the range below is 2026-01-09T22:30 .. 2026-01-12T01:45. */
const DATA: InteractionInput[] = [
  { id: 'outside-before', timestamp: '2026-01-09T22:10:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 9999 },
  { id: 'lead-edge', timestamp: '2026-01-09T22:40:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 40, prompt_tokens: 1, completion_tokens: 1 },
  { id: 'hourly-before-day', timestamp: '2026-01-09T23:20:00Z', type: 'chat', model: 'm2', provider: 'p2', latency_ms: 60, cost_usd: 0.5 },
  { id: 'd1-a', timestamp: '2026-01-10T01:10:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 100, prompt_tokens: 10, completion_tokens: 5, cost_usd: 0.001, confidence: 0.9, required_variables: ['a'], input_variables: { a: 1 } },
  { id: 'd1-b', timestamp: '2026-01-10T01:50:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 300, prompt_tokens: 20, error_message: 'timeout', confidence: 0.45, handoff: true, handoff_reason: 'angry' },
  { id: 'd1-c', timestamp: '2026-01-10T02:30:00Z', type: 'chat', model: 'm2', provider: 'p2', latency_ms: 200, prompt_tokens: 8, completion_tokens: 6, cached_tokens: 4, reasoning_tokens: 3, cost_usd: 0.002, required_variables: ['a', 'b'], input_variables: {} },
  { id: 'd1-d', timestamp: '2026-01-10T05:00:00Z', type: 'outline', model: 'm1', provider: 'p1', latency_ms: 50, status: 'partial', confidence: 0.8, handoff: true, handoff_reason: 'angry' },
  { id: 'd2-a', timestamp: '2026-01-11T03:15:00Z', type: 'chat', model: 'm2', provider: 'p2', latency_ms: 1000, handoff: true, handoff_reason: 'asked for a human', required_variables: ['b'], input_variables: { b: '' }, confidence: 0.05 },
  { id: 'hourly-after-day', timestamp: '2026-01-12T00:30:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 70, confidence: 1 },
  { id: 'trail-edge', timestamp: '2026-01-12T01:20:00Z', type: 'outline', model: 'm2', provider: 'p2', latency_ms: 80, error_type: 'ParseError' },
  { id: 'outside-after', timestamp: '2026-01-12T01:45:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 9999 },
]
const RANGE = { from: '2026-01-09T22:30:00Z', to: '2026-01-12T01:45:00Z' }
const IN_RANGE = DATA.filter((d) => d.timestamp! >= RANGE.from && d.timestamp! < RANGE.to)

const close = (actual: number | null, expected: number | undefined) => {
  expect(actual).not.toBeNull()
  expect(Math.abs(actual! - expected!) / expected!).toBeLessThanOrEqual(0.01)
}

export function metricsContract(name: string, harness: StoreHarness): void {
  describe(`Metrics contract: ${name}`, () => {
    let store: Store
    let metrics: MetricsService

    beforeAll(async () => {
      store = await harness.open()
      metrics = new MetricsService(store.metrics, { now: () => now })
      let n = 0
      const ids = { next: () => `m-${++n}` }
      const rows = DATA.map((input) => normalizeInteraction(input, { tenantId: TENANT, clock: { now: () => now }, ids }))
      // Two transactions, with a duplicate in the second: duplicates must not count twice.
      await store.interactions.insertGroups([{ tenantId: TENANT, rows: rows.slice(0, 6) }])
      await store.interactions.insertGroups([{ tenantId: TENANT, rows: [...rows.slice(6), rows[3]!] }])
    })
    afterAll(async () => {
      await store?.close()
      await harness.cleanup()
    })

    it('reads whole days and hours from rollups and the edges from rows, matching hand-computed totals', async () => {
      const report = await metrics.report(auth, { ...RANGE, interval: 'day' })
      expect(report.source).toBe('rollups')
      const t = report.totals
      expect(IN_RANGE).toHaveLength(9)
      expect(t).toMatchObject({ count: 9, success_count: 6, failure_count: 2, partial_count: 1 })
      expect(t.success_rate).toBeCloseTo(6 / 9, 6)
      expect(t.failure_rate).toBeCloseTo(2 / 9, 6)
      expect(t.tokens).toEqual({ prompt: 39, completion: 12, cached: 4, reasoning: 3, total: 51 })
      expect(t.cost_usd.total).toBeCloseTo(0.503, 9)
      expect(t.cost_usd.priced_count).toBe(3)
      expect(t.cost_usd.average).toBeCloseTo(0.503 / 3, 9)
      const latencies = [40, 60, 100, 300, 200, 50, 1000, 70, 80]
      expect(t.latency_ms.avg).toBeCloseTo(latencies.reduce((a, b) => a + b) / 9, 3)
      const [p50, p95, p99] = exactQuantiles(latencies, [0.5, 0.95, 0.99])
      close(t.latency_ms.p50, p50) // 80
      close(t.latency_ms.p95, p95) // 1000
      close(t.latency_ms.p99, p99)
      expect(t.agent).toMatchObject({
        high_confidence_count: 3, // 0.9, 0.8, 1
        low_confidence_count: 2, // 0.45, 0.05
        handoff_count: 3,
        top_handoff_reasons: [
          { reason: 'angry', count: 2 },
          { reason: 'asked for a human', count: 1 },
        ],
      })
      expect(t.agent.avg_confidence).toBeCloseTo((0.9 + 0.45 + 0.8 + 0.05 + 1) / 5, 6)
      expect(t.agent.handoff_rate).toBeCloseTo(3 / 9, 6)
      expect(t.agent.confidence_histogram.map((b) => b.count)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 2])
      expect(t.data_quality).toMatchObject({
        with_required_variables: 3,
        all_variables_present: 1,
        top_missing_variables: [
          { variable: 'b', count: 2 },
          { variable: 'a', count: 1 },
        ],
      })
      expect(t.data_quality.all_variables_present_rate).toBeCloseTo(1 / 3, 6)
      expect(t.feedback).toMatchObject({ with_feedback: 0, feedback_rate: 0, avg_quality_score: null })
    })

    it('agrees with a full scan of the raw rows', async () => {
      for (const query of [{ ...RANGE, interval: 'day' as const, group_by: 'model' as const }, { ...RANGE, interval: 'hour' as const, type: 'chat' }]) {
        const fromRollups = await metrics.report(auth, query)
        const fromScan = await metrics.report(auth, query, { forceScan: true })
        expect(fromRollups.source).toBe('rollups')
        expect(fromScan.source).toBe('scan')
        expect(fromRollups.totals).toEqual(fromScan.totals)
        expect(fromRollups.series).toEqual(fromScan.series)
        expect(fromRollups.groups).toEqual(fromScan.groups)
      }
    })

    it('fills every bucket of the series and groups by a dimension', async () => {
      const daily = await metrics.report(auth, { ...RANGE, interval: 'day', group_by: 'model' })
      expect(daily.series.map((b) => [b.start, b.count, b.failure_count])).toEqual([
        ['2026-01-09T00:00:00.000Z', 2, 0],
        ['2026-01-10T00:00:00.000Z', 4, 1],
        ['2026-01-11T00:00:00.000Z', 1, 0],
        ['2026-01-12T00:00:00.000Z', 2, 1],
      ])
      expect(daily.series[1]!.total_tokens).toBe(15 + 20 + 14)
      expect(daily.groups.map((g) => [g.value, g.count])).toEqual([
        ['m1', 5],
        ['m2', 4],
      ])
      const hourly = await metrics.report(auth, { from: '2026-01-10T00:00:00Z', to: '2026-01-10T06:00:00Z', interval: 'hour' })
      expect(hourly.series.map((b) => b.count)).toEqual([0, 2, 1, 0, 0, 1])
    })

    it('answers filters rollups cannot serve by scanning, and groups by any column', async () => {
      const byCategory = await metrics.report(auth, { ...RANGE, group_by: 'user_id' })
      expect(byCategory.source).toBe('scan')
      expect(byCategory.groups).toEqual([expect.objectContaining({ value: null, count: 9 })])
      const latencyFilter = await metrics.report(auth, { ...RANGE, min_latency_ms: 100 })
      expect(latencyFilter.totals.count).toBe(4) // 100, 300, 200, 1000
    })

    it('handles empty ranges, a single row and filters that match nothing', async () => {
      const empty = await metrics.report(auth, { from: '2025-01-01T00:00:00Z', to: '2025-01-03T00:00:00Z' })
      expect(empty.totals).toMatchObject({ count: 0, success_rate: null, latency_ms: { avg: null, p50: null, p95: null, p99: null }, cost_usd: { total: 0, average: null } })
      expect(empty.series.every((b) => b.count === 0 && b.latency_p95_ms === null)).toBe(true)
      const single = await metrics.report(auth, { from: '2026-01-11T00:00:00Z', to: '2026-01-12T00:00:00Z' })
      expect(single.totals).toMatchObject({ count: 1, failure_count: 0, agent: { handoff_count: 1, handoff_rate: 1 } })
      close(single.totals.latency_ms.p50, 1000)
      const nothing = await metrics.report(auth, { ...RANGE, model: 'no-such-model' })
      expect(nothing.totals.count).toBe(0)
    })

    it('counts list matches from rollups exactly as counting rows does', async () => {
      const filters = [{}, { type: 'chat' }, { model: 'm2', status: 'success' as const }, RANGE, { from: '2026-01-10T01:30:00Z', to: '2026-01-11T03:20:00Z', type: 'chat' }]
      for (const filter of filters) {
        const quick = await metrics.countFromRollups(TENANT, filter)
        const rows = await store.metrics.rowSums(TENANT, filter, ['n'])
        expect(quick, JSON.stringify(filter)).toBe(rows.n)
      }
      expect(metrics.countFromRollups(TENANT, { user_id: 'x' })).toBeUndefined()
      expect(await metrics.countFromRollups(TENANT, {})).toBe(DATA.length)
    })

    it('counts the latest feedback of each interaction, replacing earlier feedback', async () => {
      const feedback = (id: string, interaction: string, kind: 'thumbs_up' | 'thumbs_down' | 'report', quality: number | null) =>
        aFeedback(id, interaction, kind, quality, now.toISOString())
      await store.feedback.add(TENANT, feedback('f1', 'd1-a', 'thumbs_down', 20), {})
      await store.feedback.add(TENANT, feedback('f2', 'd1-a', 'thumbs_up', 90), {}) // replaces f1 as the latest
      await store.feedback.add(TENANT, feedback('f3', 'd2-a', 'report', null), {})
      expect(await store.feedback.add(TENANT, feedback('f4', 'no-such', 'report', null), {})).toBeUndefined()
      expect((await store.feedback.history(TENANT, 'd1-a')).map((f) => f.kind)).toEqual(['thumbs_down', 'thumbs_up'])
      expect((await store.interactions.get(TENANT, 'd1-a', {}))).toMatchObject({ feedback_kind: 'thumbs_up', feedback_quality_score: 90 })
      const report = await metrics.report(auth, { ...RANGE, interval: 'day' })
      expect(report.totals.feedback).toMatchObject({
        counts: { thumbs_up: 1, thumbs_down: 0, report: 1, accepted: 0, rejected: 0, modified: 0, edit: 0 },
        with_feedback: 2,
        avg_quality_score: 90,
      })
      expect(report.totals.feedback.feedback_rate).toBeCloseTo(2 / 9, 6)
      expect(report.totals).toEqual((await metrics.report(auth, { ...RANGE, interval: 'day' }, { forceScan: true })).totals)
    })

    it('sums outcome and feedback counters from rollups exactly as counting rows does', async () => {
      // Runs after the feedback above, so feedback_n is not zero.
      const expected = (filter: (d: InteractionInput) => boolean) => {
        const rows = DATA.filter(filter)
        const status = (d: InteractionInput) => d.status ?? (d.error_message || d.error_type ? 'failure' : 'success')
        return {
          n: rows.length,
          success_n: rows.filter((d) => status(d) === 'success').length,
          failure_n: rows.filter((d) => status(d) === 'failure').length,
          partial_n: rows.filter((d) => status(d) === 'partial').length,
          feedback_n: rows.filter((d) => d.id === 'd1-a' || d.id === 'd2-a').length,
        }
      }
      expect(await metrics.sumsFromRollups(TENANT, {}, ROW_COUNTERS)).toEqual(expected(() => true))
      expect(await metrics.sums(TENANT, { type: 'chat' }, ROW_COUNTERS)).toEqual(expected((d) => d.type === 'chat'))
      expect(await store.metrics.rowSums(TENANT, { type: 'chat' }, ROW_COUNTERS)).toEqual(expected((d) => d.type === 'chat'))
      const { n, feedback_n } = expected((d) => IN_RANGE.includes(d) && d.model === 'm1')
      expect(await metrics.sums(TENANT, { ...RANGE, model: 'm1' }, ['n', 'feedback_n'])).toEqual({ n, feedback_n })
      expect(metrics.sumsFromRollups(TENANT, { category: 'web' }, ['n'])).toBeUndefined()
    })

    it('writes a group commit whose requests of one tenant share rollup rows', async () => {
      const at = (request: number, i: number) =>
        normalizeInteraction(
          { id: `gc-${request}-${i}`, timestamp: '2026-02-01T10:15:00Z', type: 'chat', model: 'm1', provider: 'p1', latency_ms: 10 },
          { tenantId: TENANT, clock: { now: () => now }, ids: { next: () => 'unused' } },
        )
      const outcomes = await store.interactions.insertGroups([
        { tenantId: TENANT, rows: [at(1, 1), at(1, 2)] },
        { tenantId: TENANT, rows: [at(2, 1), at(2, 2), at(2, 3)] },
      ])
      expect(outcomes.flat()).toEqual(['created', 'created', 'created', 'created', 'created'])
      const day = { from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z' }
      expect((await metrics.report(auth, day)).totals.count).toBe(5)
      expect((await metrics.report(auth, day)).totals).toEqual((await metrics.report(auth, day, { forceScan: true })).totals)
    })

    it('takes a deleted interaction back out of the rollups', async () => {
      expect(await store.interactions.delete(TENANT, 'd1-b', {})).toBe(true)
      const after = await metrics.report(auth, { ...RANGE, interval: 'day' })
      expect(after.totals).toMatchObject({ count: 8, failure_count: 1, agent: { handoff_count: 2 } })
      expect(after.totals.tokens.prompt).toBe(19)
      expect(after.totals).toEqual((await metrics.report(auth, { ...RANGE, interval: 'day' }, { forceScan: true })).totals)
    })
  })
}
