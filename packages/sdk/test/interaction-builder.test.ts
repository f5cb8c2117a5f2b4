import { describe, expect, it } from 'vitest'
import { Interlog, type InterlogError } from '../src/index.js'
import { fakeRuntime, unitOptions, type RecordedCall } from './support/fake-runtime.js'

const sent = (calls: RecordedCall[]) => calls.flatMap((call) => (call.body as { interactions: Record<string, unknown>[] }).interactions)

/** A clock the test moves by hand, so latencies are exact. */
function manualClock(start = Date.parse('2026-05-01T09:00:00Z')) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('start() / tool() / end()', () => {
  it('puts every tool call of the turn in one interaction, timed, with results and errors', async () => {
    const clock = manualClock()
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(unitOptions({ ...runtime, now: clock.now }, []))

    const turn = interlog.start({ type: 'assistant', userId: 'u1', threadId: 't1', userMessage: 'add 2 rows' })
    const added = await turn.tool('add_new_data', { rows: 2 }, async () => {
      clock.advance(30)
      return { inserted: 2 }
    }, { id: 'call_a' })
    const failure = new RangeError('quota exceeded')
    const thrown = await turn
      .tool('send_email', { to: 'x@example.com' }, () => {
        clock.advance(5)
        throw failure
      })
      .catch((error: unknown) => error)
    clock.advance(15)
    const id = turn.end({ assistantResponse: 'Added 2 rows; email failed.' })

    expect(added).toEqual({ inserted: 2 }) // the app gets the tool's own result...
    expect(thrown).toBe(failure) // ...and the tool's own exception
    expect(id).toBe(turn.id)
    await interlog.flush()
    const [interaction] = sent(calls)
    expect(interaction).toEqual({
      id: turn.id,
      type: 'assistant',
      user_id: 'u1',
      thread_id: 't1',
      user_message: 'add 2 rows',
      assistant_response: 'Added 2 rows; email failed.',
      status: 'success',
      timestamp: '2026-05-01T09:00:00.000Z',
      ended_at: '2026-05-01T09:00:00.050Z',
      latency_ms: 50,
      tool_calls: [
        { id: 'call_a', name: 'add_new_data', arguments: { rows: 2 }, result: { inserted: 2 }, status: 'success', latency_ms: 30 },
        { name: 'send_email', arguments: { to: 'x@example.com' }, status: 'failure', error: 'quota exceeded', latency_ms: 5 },
      ],
    })
  })

  it('fail() records the error; a tool still running at the end is pending; a second end() is reported', async () => {
    const { runtime, calls } = fakeRuntime()
    const errors: InterlogError[] = []
    const interlog = new Interlog(unitOptions(runtime, errors))
    const turn = interlog.start({ type: 'assistant' })
    let finishSlowTool: (value: string) => void = () => {}
    const slow = turn.tool('slow_search', { q: 'x' }, () => new Promise<string>((resolve) => (finishSlowTool = resolve)))
    turn.recordTool({ name: 'external_step', status: 'success', latencyMs: 7 })
    turn.fail(new TypeError('model returned nothing'), { model: 'gpt-4o-mini' })
    turn.end({ assistantResponse: 'too late' })
    finishSlowTool('done')
    expect(await slow).toBe('done')
    await interlog.flush()

    const [interaction] = sent(calls)
    expect(interaction).toMatchObject({
      status: 'failure',
      error_message: 'model returned nothing',
      error_type: 'TypeError',
      model: 'gpt-4o-mini',
      tool_calls: [
        { name: 'slow_search', status: 'pending' },
        { name: 'external_step', status: 'success', latency_ms: 7 },
      ],
    })
    expect(interaction).not.toHaveProperty('assistant_response')
    expect(errors.map((error) => error.code)).toEqual(['invalid_input'])
  })

  it('set() adds fields before the end, and the id is usable for feedback right away', async () => {
    const { runtime, calls } = fakeRuntime()
    const interlog = new Interlog(unitOptions(runtime, []))
    const turn = interlog.start({ metadata: { a: 1 } })
    turn.set({ model: 'gpt-4o', metadata: { b: 2 }, promptTokens: 10 })
    turn.end()
    interlog.feedback(turn.id, { kind: 'accepted' })
    await interlog.flush()
    expect(sent(calls.slice(0, 1))[0]).toMatchObject({ id: turn.id, model: 'gpt-4o', metadata: { a: 1, b: 2 }, prompt_tokens: 10 })
    expect(calls[1]!.url).toBe(`http://interlog.test/v1/interactions/${turn.id}/feedback`)
  })
})
