import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS } from '../../src/export/formats/csv.format.js'
import { aRecord, runFormat } from './export-formats.support.js'

describe('json, jsonl and csv exports', () => {
  const records = [
    aRecord({ type: 'chat', user_message: 'Hi', assistant_response: 'Hello', tags: ['a', 'b'], metadata: { app: 'x' }, handoff: false }),
    aRecord({ type: 'chat', user_message: '=SUM(A1:A9)', assistant_response: 'line one\nline "two", with a comma', prompt_tokens: 12 }),
  ]

  it('json is one valid JSON array of the interactions, also when empty', () => {
    const { text, summary } = runFormat('json', records)
    expect(JSON.parse(text)).toEqual(records.map((record) => record.interaction))
    expect(summary.rows_written).toBe(2)
    expect(JSON.parse(runFormat('json', []).text)).toEqual([])
  })

  it('jsonl is one interaction per line', () => {
    const { lines } = runFormat('jsonl', records)
    expect(lines).toEqual(records.map((record) => record.interaction))
  })

  it('csv has a header, quotes what needs quoting, nests JSON and defuses spreadsheet formulas', () => {
    const { text, summary } = runFormat('csv', records)
    const [header, ...rest] = text.split('\n')
    expect(header).toBe(CSV_COLUMNS.join(','))
    expect(summary.rows_written).toBe(2)
    const first = rest[0]!
    expect(first).toContain(`${records[0]!.id},2026-01-01T00:00:00.000Z`)
    expect(first).toContain('"[""a"",""b""]"')
    expect(first).toContain('"{""app"":""x""}"')
    expect(first).toContain(',false,')
    expect(text).toContain(",'=SUM(A1:A9),")
    expect(text).toContain('"line one\nline ""two"", with a comma"')
  })
})

describe('trl export', () => {
  it('writes the conversational messages format with tool arguments as objects and named tool results', () => {
    const { lines, summary } = runFormat('trl', [
      aRecord({ user_message: 'Hi', assistant_response: 'Hello' }),
      aRecord({
        user_message: 'Weather?',
        model_parameters: { tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }] },
        tool_calls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}', result: '21°C' }],
        assistant_response: 'It is 21°C.',
      }),
      aRecord({ user_message: 'nothing back' }),
    ])
    expect(lines[0]).toEqual({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] })
    expect(lines[1]).toEqual({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', tool_call_id: 'c1', content: '21°C', name: 'get_weather' },
        { role: 'assistant', content: 'It is 21°C.' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    })
    expect(summary.skipped).toEqual({ no_assistant_message: 1 })
  })
})

describe('openai-dpo export', () => {
  const rated = (kind: string, answer: string, question = 'Best pizza?') => aRecord({ user_message: question, assistant_response: answer, feedback_kind: kind })

  it('pairs a correction (preferred) with the output it corrected', () => {
    const { lines } = runFormat('openai-dpo', [aRecord({ rendered_prompt: 'Be exact.', user_message: 'Capital of France?', assistant_response: 'Lyon', feedback_kind: 'modified' }, 'Paris')])
    expect(lines).toEqual([
      {
        input: { messages: [{ role: 'system', content: 'Be exact.' }, { role: 'user', content: 'Capital of France?' }] },
        preferred_output: [{ role: 'assistant', content: 'Paris' }],
        non_preferred_output: [{ role: 'assistant', content: 'Lyon' }],
      },
    ])
  })

  it('pairs accepted and rejected outputs of the same input, whichever comes first', () => {
    const { lines, summary } = runFormat('openai-dpo', [
      rated('rejected', 'Pineapple'),
      rated('thumbs_up', 'Margherita'),
      rated('accepted', 'Napoletana', 'Best pasta?'),
      rated('thumbs_down', 'Ketchup pasta', 'Best pasta?'),
      rated('accepted', 'Diavola'),
    ])
    expect(lines.map((line) => [line.input.messages[0].content, line.preferred_output[0].content, line.non_preferred_output[0].content])).toEqual([
      ['Best pizza?', 'Margherita', 'Pineapple'],
      ['Best pasta?', 'Napoletana', 'Ketchup pasta'],
    ])
    expect(summary).toMatchObject({ records_read: 5, rows_written: 2, skipped: { no_pair: 1 } })
  })

  it('counts records without a preference, without a text answer, or with nothing to prefer', () => {
    const { lines, summary } = runFormat('openai-dpo', [
      aRecord({ user_message: 'q', assistant_response: 'a' }),
      aRecord({ user_message: 'q', assistant_response: 'a', feedback_kind: 'report' }),
      aRecord({ user_message: 'q', tool_calls: [{ name: 'lookup', arguments: {} }], feedback_kind: 'modified' }, 'an answer'),
      aRecord({ user_message: 'q', assistant_response: 'same', feedback_kind: 'modified' }, 'same'),
      aRecord({ assistant_response: 'no prompt', feedback_kind: 'modified' }, 'fixed'),
    ])
    expect(lines).toEqual([])
    expect(summary.skipped).toEqual({ no_preference: 2, no_text_output: 1, same_output: 1, no_input: 1 })
  })
})
