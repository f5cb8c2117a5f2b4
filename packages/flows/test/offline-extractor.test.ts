import { describe, expect, it } from 'vitest'
import { OfflineExtractor } from '../src/index.js'
import { CONVERSATIONS } from './fixtures/conversations.js'
import { HELD_OUT_CONVERSATIONS } from './fixtures/conversations-held-out.js'
import { UNSEEN_CONVERSATIONS } from './fixtures/conversations-unseen.js'
import { scoreOffline } from './support/score-extraction.js'

const extract = (messages: ['user' | 'assistant', string][], fields: Record<string, string>, extractor = new OfflineExtractor()) =>
  extractor.extract({ messages: messages.map(([role, content]) => ({ role, content })), fields }).then((outcome) => outcome.values)

describe('OfflineExtractor', () => {
  it('meets the goals on the labelled conversations: ≥ 0.95 for email and phone, ≥ 0.85 for name', async () => {
    const scores = await scoreOffline([...CONVERSATIONS, ...HELD_OUT_CONVERSATIONS, ...UNSEEN_CONVERSATIONS])
    for (const field of ['email', 'phone'] as const) {
      expect(scores[field].precision, field).toBeGreaterThanOrEqual(0.95)
      expect(scores[field].recall, field).toBeGreaterThanOrEqual(0.95)
    }
    expect(scores.name.precision).toBeGreaterThanOrEqual(0.85)
    expect(scores.name.recall).toBeGreaterThanOrEqual(0.85)
  })

  it('knows fields by name or description, and leaves fields it cannot read empty', async () => {
    const values = await extract([['user', 'I am Ana Lima, ana@example.com, 555-123-4567. Order 42 never came']], {
      firstName: 'given name',
      surname: 'family name',
      contact: 'an e-mail address to write to',
      callback: 'telephone number',
      order_id: 'the order number',
      reason: 'why they got in touch',
    })
    expect(values).toEqual({ firstName: 'Ana', surname: 'Lima', contact: 'ana@example.com', callback: '+15551234567', reason: 'Order 42 never came' })
  })

  it('reads numbers without a country code in the configured region', async () => {
    const fields = { phone: 'phone number' }
    expect(await extract([['user', 'call 020 7946 0958']], fields, new OfflineExtractor({ defaultRegion: 'GB' }))).toEqual({ phone: '+442079460958' })
    expect(await extract([['user', 'call 020 7946 0958']], fields)).toEqual({})
  })
})
