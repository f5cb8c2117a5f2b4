import { spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { apiClient } from '../support/http.js'
import { CLI_PATH, startServerProcess, TEST_ADMIN_KEY } from '../support/server-process.js'

/** Runs `interlog demo flow` with the lines typed in, and answers what it printed. */
function chat(args: string[], env: Record<string, string | undefined>, lines: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI_PATH, 'demo', 'flow', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stdin.end(lines.map((line) => `${line}\n`).join(''))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

describe.each(STORE_KINDS)('interlog demo flow on %s', (kind) => {
  const database = freshDatabase(kind, 'demo')
  const args = ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  const env = { INTERLOG_DATABASE_SCHEMA: database.databaseSchema }
  afterAll(() => database.cleanup())

  it('chats offline in the terminal: one message fills three fields and runs the automatic steps; the session and its steps are stored', async () => {
    const first = await chat([...args, '--session', 'roof'], env, ['Hi', "My roof is leaking, I'm John Smith, my number is 555-123-4567", '/quit'])
    expect(first.code).toBe(0)
    expect(first.output).toContain('offline (templates and the offline extractor)')
    expect(first.output).toContain('agent> Thank you, John Smith. I can send a technician for "My roof is leaking" on the first free slot. Shall I book it?')
    expect(first.output).toContain('fields: customer_name=John Smith, customer_phone_number=+15551234567, main_ask=My roof is leaking')
    expect(first.output).toContain('path: acknowledge → lookup_customer → plan_task → propose · waiting for you')

    // A second run goes on with the stored session.
    const second = await chat([...args, '--session', 'roof'], env, ['yes please'])
    expect(second.output).toContain("agent> Done! Your visit is booked and we'll text +15551234567 the details. Goodbye!")

    const server = await startServerProcess({ args, env })
    try {
      const root = apiClient(server.url, TEST_ADMIN_KEY)
      const session = await root.get('/v1/flows/customer-service/sessions/roof')
      expect(session.body).toMatchObject({ status: 'completed', node: 'booked', turns: 3 })
      const steps = await root.get('/v1/interactions?thread_id=roof&limit=200')
      expect(new Set(steps.body.interactions.map((i: { type: string }) => i.type))).toEqual(new Set(['flow.reply', 'flow.extract', 'flow.navigate', 'flow.tool']))
    } finally {
      await server.stop()
    }
  })
})
