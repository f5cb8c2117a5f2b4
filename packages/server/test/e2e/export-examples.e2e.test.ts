import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_KINDS } from '../support/databases.js'
import { tenantWithKey } from '../support/http.js'
import { startTestServer } from '../support/in-process-server.js'

describe.each(STORE_KINDS)('exporting curated examples on %s', (kind) => {
  let url: string
  let stop: () => Promise<void>
  let acme: Awaited<ReturnType<typeof tenantWithKey>>

  beforeAll(async () => {
    const server = await startTestServer(kind, 'export_examples')
    url = server.url
    stop = server.stop
    acme = await tenantWithKey(url, 'acme', ['ingest', 'read', 'feedback', 'export'])
    const examples = [
      { input: { user_message: 'How do I reset my password?' }, output: { assistant_response: 'Use "Forgot password" on the sign-in page.' }, quality_score: 90, type: 'support' },
      { input: 'Summarise: the roof leaks.', output: 'A leaking roof.', quality_score: 40, type: 'support' },
      { input: { user_message: 'Plan a trip' }, output: { assistant_response: 'Day 1: ...' }, quality_score: 95, type: 'planner' },
    ]
    for (const example of examples) expect((await acme.client.post('/v1/examples', example)).status).toBe(201)
  })
  afterAll(async () => stop?.())

  const exportText = async (query: string) => {
    const response = await fetch(`${url}/v1/export?${query}`, { headers: { authorization: `Bearer ${acme.key}` } })
    expect(response.status).toBe(200)
    return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line))
  }

  it('writes examples as fine-tuning lines, filtered like the examples list', async () => {
    const lines = await exportText('source=examples&format=openai-chat&type=support')
    expect(lines).toEqual([
      { messages: [{ role: 'user', content: 'Summarise: the roof leaks.' }, { role: 'assistant', content: 'A leaking roof.' }] },
      { messages: [{ role: 'user', content: 'How do I reset my password?' }, { role: 'assistant', content: 'Use "Forgot password" on the sign-in page.' }] },
    ])
    expect(await exportText('source=examples&format=openai-chat&min_quality=80')).toHaveLength(2)
  })

  it('raises the usage count of each exported example, and not on a dry run', async () => {
    const before = (await acme.client.get('/v1/examples?type=planner')).body.examples[0]
    await exportText('source=examples&format=jsonl&type=planner')
    expect((await acme.client.get('/v1/export/summary?source=examples&format=jsonl&type=planner')).body.rows_written).toBe(1)
    const after = (await acme.client.get(`/v1/examples/${before.id}`)).body
    expect(after.usage_count).toBe(before.usage_count + 1)
  })

  it('refuses an unknown source, naming the field', async () => {
    const response = await acme.client.get('/v1/export?source=tweets')
    expect(response.status).toBe(400)
    expect(response.body.error.details.issues[0].path).toBe('source')
  })
})
