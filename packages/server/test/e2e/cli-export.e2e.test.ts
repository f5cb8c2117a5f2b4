import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase, STORE_KINDS } from '../support/databases.js'
import { anInteraction } from '../support/fixtures.js'
import { tenantWithKey } from '../support/http.js'
import { CLI_PATH, startServerProcess } from '../support/server-process.js'

const run = promisify(execFile)

describe.each(STORE_KINDS)('interlog export on %s', (kind) => {
  const database = freshDatabase(kind, 'cli_export')
  const globalArgs = ['--data', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])]
  const env = { ...process.env, INTERLOG_DATABASE_SCHEMA: database.databaseSchema ?? '' }
  const cli = (...args: string[]) => run(process.execPath, [CLI_PATH, 'export', ...args, ...globalArgs], { env })
  const out = (name: string) => join(database.dataDir, name)
  afterAll(() => database.cleanup())

  it('writes the file with progress and a summary, with and without a running server', async () => {
    const server = await startServerProcess({ args: globalArgs, env: { INTERLOG_DATABASE_SCHEMA: database.databaseSchema } })
    try {
      const acme = await tenantWithKey(server.url, 'acme', ['ingest', 'feedback'])
      const interactions = [
        anInteraction({ id: 'a', type: 'chat', user_message: 'Capital of France?', assistant_response: 'Lyon' }),
        anInteraction({ id: 'b', type: 'chat', user_message: 'no answer', assistant_response: undefined }),
        anInteraction({ id: 'c', type: 'chat', user_message: 'Hi', assistant_response: 'Hello' }),
        anInteraction({ id: 'd', type: 'summarize', user_message: 'sum up', assistant_response: 'short' }),
      ]
      expect((await acme.client.post('/v1/interactions', { interactions })).body.created).toBe(4)
      expect((await acme.client.post('/v1/interactions/a/feedback', { kind: 'modified', correction: 'Paris' })).status).toBe(201)

      // While the server runs.
      const live = await cli('--tenant', 'acme', '--format', 'openai-chat', '--type', 'chat', '--out', out('live.jsonl'))
      expect(live.stdout).toContain('wrote 2 rows (openai-chat)')
      expect(live.stdout).toContain('from 3 records')
      expect(live.stdout).toContain('skipped 1: no_assistant_message 1')
      expect(live.stderr).toContain('100% 3/3 records')
      const lines = readFileSync(out('live.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
      expect(lines).toContainEqual({ messages: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris' }] })
    } finally {
      await server.stop()
    }

    // Without a server: the same file, and --json prints the summary as JSON.
    const offline = await cli('--tenant', 'acme', '--format', 'openai-chat', '--type', 'chat', '--out', out('offline.jsonl'), '--json')
    expect(JSON.parse(offline.stdout)).toEqual({ format: 'openai-chat', records_read: 3, rows_written: 2, skipped_count: 1, skipped: { no_assistant_message: 1 }, truncated: false })
    expect(readFileSync(out('offline.jsonl'), 'utf8')).toBe(readFileSync(out('live.jsonl'), 'utf8'))

    // No --out: the data goes to stdout, progress and summary to stderr.
    const piped = await cli('--tenant', 'acme', '--format', 'csv', '--max-rows', '2')
    expect(piped.stdout.trim().split('\n')).toHaveLength(3)
    expect(piped.stderr).toContain('wrote 2 rows (csv) to stdout')
    expect(piped.stderr).toContain('stopped at --max-rows')
  })

  it('refuses bad options clearly, exits non-zero and writes nothing', async () => {
    const before = readdirSync(database.dataDir)
    const cases: [string[], string][] = [
      [['--format', 'parquet', '--out', out('bad.jsonl')], 'format'],
      [['--min-quality', 'high', '--out', out('bad.jsonl')], 'min_quality'],
      [['--tenant', 'nobody', '--out', out('bad.jsonl')], "Tenant 'nobody' not found"],
      [['--q', '"unclosed', '--out', out('bad.jsonl')], 'q'],
    ]
    for (const [args, message] of cases) {
      const failure = (await cli(...args).catch((error: { code: number; stderr: string }) => error)) as { code: number; stderr: string }
      expect(failure.code, args.join(' ')).toBe(1)
      expect(failure.stderr).toContain(message)
    }
    expect(existsSync(out('bad.jsonl'))).toBe(false)
    expect(readdirSync(database.dataDir)).toEqual(before)
  })
})
