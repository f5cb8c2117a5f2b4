import { describe, expect, it } from 'vitest'
import type { ValidationError } from '../../src/errors/errors.js'
import { missingVariables, normalizeInteraction } from '../../src/interactions/interaction.normalize.js'
import { MAX_JSON_DEPTH } from '../../src/interactions/well-formed.js'

const now = new Date('2026-03-01T12:00:00.000Z')
const context = { tenantId: 't1', clock: { now: () => now }, ids: { next: () => 'generated-id' } }

describe('normalizeInteraction', () => {
  it('fills id, timestamp and status for a bare interaction', () => {
    const { interaction, ts, received_ts } = normalizeInteraction({}, context)
    expect(interaction).toEqual({
      id: 'generated-id',
      tenant_id: 't1',
      timestamp: now.toISOString(),
      status: 'success',
      received_at: now.toISOString(),
    })
    expect(ts).toBe(now.getTime())
    expect(received_ts).toBe(now.getTime())
  })

  it('keeps a client id and canonicalises the timestamp to UTC', () => {
    const { interaction, ts } = normalizeInteraction({ id: 'mine', timestamp: '2026-03-01T14:00:00+02:00' }, context)
    expect(interaction.id).toBe('mine')
    expect(interaction.timestamp).toBe('2026-03-01T12:00:00.000Z')
    expect(ts).toBe(Date.parse('2026-03-01T12:00:00Z'))
  })

  it('defaults status to failure when an error is present, but respects an explicit status', () => {
    expect(normalizeInteraction({ error_message: 'boom' }, context).interaction.status).toBe('failure')
    expect(normalizeInteraction({ error_type: 'Timeout' }, context).interaction.status).toBe('failure')
    expect(normalizeInteraction({ error_details: { code: 1 } }, context).interaction.status).toBe('failure')
    expect(normalizeInteraction({ error_message: 'x', status: 'partial' }, context).interaction.status).toBe('partial')
  })

  it('derives total tokens only when absent', () => {
    expect(normalizeInteraction({ prompt_tokens: 3, completion_tokens: 4 }, context).interaction.total_tokens).toBe(7)
    expect(normalizeInteraction({ completion_tokens: 4 }, context).interaction.total_tokens).toBe(4)
    expect(normalizeInteraction({ prompt_tokens: 3, total_tokens: 10 }, context).interaction.total_tokens).toBe(10)
    expect(normalizeInteraction({}, context).interaction.total_tokens).toBeUndefined()
  })

  it('derives latency from ended_at unless given', () => {
    const base = { timestamp: '2026-03-01T12:00:00.000Z', ended_at: '2026-03-01T12:00:01.500Z' }
    expect(normalizeInteraction(base, context).interaction.latency_ms).toBe(1500)
    expect(normalizeInteraction({ ...base, latency_ms: 9 }, context).interaction.latency_ms).toBe(9)
    expect(normalizeInteraction({ ...base, ended_at: '2026-03-01T11:00:00.000Z' }, context).interaction.latency_ms).toBeUndefined()
  })

  it('derives missing variables from required vs input variables', () => {
    const { interaction } = normalizeInteraction(
      { required_variables: ['a', 'b', 'c', 'd'], input_variables: { a: 'x', b: '', c: null, e: 1 } },
      context,
    )
    expect(interaction.missing_variables).toEqual(['b', 'c', 'd'])
    expect(interaction.all_variables_present).toBe(false)
    const complete = normalizeInteraction({ required_variables: ['a'], input_variables: { a: 0 } }, context).interaction
    expect(complete).toMatchObject({ missing_variables: [], all_variables_present: true })
    expect(normalizeInteraction({ input_variables: { a: 1 } }, context).interaction.all_variables_present).toBeUndefined()
  })
})

describe('missingVariables', () => {
  it('treats absent input variables as all missing', () => {
    expect(missingVariables(['x', 'y'], undefined)).toEqual(['x', 'y'])
  })

  it('replaces lone surrogates in strings and keys, and copies nothing when there are none', () => {
    const clean = { user_message: 'paired 😀 is fine', metadata: { nested: ['a', { b: 'c' }] } }
    expect(normalizeInteraction(clean, context).interaction.metadata).toBe(clean.metadata)
    const { interaction } = normalizeInteraction({ user_message: 'x\udfff', metadata: { '\ud800k': ['ok', { deep: '\ud800' }] } }, context)
    expect(interaction.user_message).toBe('x\ufffd')
    expect(interaction.metadata).toEqual({ '\ufffdk': ['ok', { deep: '\ufffd' }] })
  })

  it('replaces NUL characters, which PostgreSQL cannot store, the same way', () => {
    const { interaction } = normalizeInteraction({ user_message: 'a\u0000b', metadata: { 'k\u0000': ['\u0000'] } }, context)
    expect(interaction.user_message).toBe('a\ufffdb')
    expect(interaction.metadata).toEqual({ 'k\ufffd': ['\ufffd'] })
  })

  it('refuses an id it would have to repair, and JSON nested deeper than the limit, naming the path', () => {
    const refusal = (input: Parameters<typeof normalizeInteraction>[0]) => {
      try {
        normalizeInteraction(input, context)
      } catch (error) {
        return error as ValidationError
      }
      throw new Error('accepted')
    }
    expect(refusal({ id: 'a\ud800' }).issues[0]?.path).toBe('id')
    expect(refusal({ id: 'a\u0000' }).issues[0]?.path).toBe('id')
    let nested: unknown = 'leaf'
    for (let level = 0; level < MAX_JSON_DEPTH - 1; level++) nested = { n: nested }
    expect(() => normalizeInteraction({ metadata: nested as Record<string, unknown> }, context)).not.toThrow()
    const tooDeep = refusal({ metadata: { n: nested } as Record<string, unknown> })
    expect(tooDeep.status).toBe(400)
    expect(tooDeep.issues[0]?.path).toBe(['metadata', ...Array<string>(MAX_JSON_DEPTH - 1).fill('n')].join('.'))
  })

  it("counts only the input variables' own properties as present", () => {
    expect(missingVariables(['constructor', 'toString', 'name'], { name: 'x' })).toEqual(['constructor', 'toString'])
  })
})
