import { InteractionInput, FeedbackInput } from '@interlog/schema'
import { describe, expect, it } from 'vitest'
import { demoItems } from '../../src/demo/demo-data.js'

describe('demo data', () => {
  const end = Date.parse('2026-11-21T12:00:00Z')
  const items = demoItems(600, end)

  it('makes exactly the count asked for, valid, with unique ids, within the days before the end, none in the future', () => {
    expect(items).toHaveLength(600)
    expect(new Set(items.map((item) => item.interaction.id)).size).toBe(600)
    for (const { interaction, feedback } of items) {
      expect(InteractionInput.safeParse(interaction).success).toBe(true)
      if (feedback) expect(FeedbackInput.safeParse(feedback).success).toBe(true)
      const ts = Date.parse(interaction.timestamp!)
      expect(ts).toBeLessThanOrEqual(end)
      expect(ts).toBeGreaterThan(end - 14 * 86_400_000)
    }
  })

  it('covers what the dashboard shows: types, models, failures, tools, threads, feedback, missing variables, intents, handoffs', () => {
    const all = items.map((item) => item.interaction)
    expect(new Set(all.map((it) => it.type))).toEqual(new Set(['support_chat', 'outline_generation', 'summarize', 'classify', 'agent_step']))
    expect(new Set(all.map((it) => it.model)).size).toBeGreaterThanOrEqual(4)
    expect(all.some((it) => it.error_type !== undefined && typeof it.error_details === 'object')).toBe(true)
    expect(all.some((it) => it.status === 'partial')).toBe(true)
    expect(all.some((it) => it.tool_calls?.some((call) => call.status === 'failure'))).toBe(true)
    const threads = new Map<string, Set<string | undefined>>()
    for (const it of all.filter((it) => it.thread_id)) threads.set(it.thread_id!, (threads.get(it.thread_id!) ?? new Set()).add(it.user_id))
    expect([...threads.values()].every((users) => users.size === 1)).toBe(true) // one user per conversation
    expect(all.filter((it) => it.thread_id).length).toBeGreaterThan(threads.size) // and some have several turns
    expect(items.filter((item) => item.feedback?.correction !== undefined).length).toBeGreaterThan(0)
    expect(all.some((it) => it.required_variables && Object.keys(it.input_variables ?? {}).length < it.required_variables.length)).toBe(true)
    expect(all.some((it) => (it.intents ?? []).length > 0 && it.confidence !== undefined)).toBe(true)
    expect(all.some((it) => it.handoff === true && it.handoff_reason)).toBe(true)
  })

  it('is the same for the same seed', () => {
    expect(demoItems(50, end, { seed: 3 })).toEqual(demoItems(50, end, { seed: 3 }))
  })
})
