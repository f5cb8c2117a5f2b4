import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Sink } from './support/sink.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const childScript = fileURLToPath(new URL('./support/exit-child.ts', import.meta.url))

/** Runs the child to its natural end; resolves with its exit code and output. */
function runChild(sinkUrl: string, registerExitHandler: boolean): Promise<{ code: number | null; ids: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, sinkUrl, registerExitHandler ? 'yes' : 'no'], { cwd: repoRoot })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, ids: (JSON.parse(stdout || '{"ids":[]}') as { ids: string[] }).ids, stderr }))
  })
}

let sink: Sink
beforeEach(async () => {
  sink = await Sink.start()
})
afterEach(async () => {
  await sink.stop()
})

describe('process exit', () => {
  it('delivers what is queued when a Node process ends on its own (beforeExit), even through a 503', async () => {
    sink.respond = (_request, index) => (index === 0 ? { status: 503, body: {} } : 'default')
    const { code, ids, stderr } = await runChild(sink.url, true)

    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(ids).toHaveLength(3)
    expect(sink.stored).toEqual(ids)
    expect(sink.feedbackRequests().map((request) => [request.path, request.body])).toEqual([
      [`/v1/interactions/${ids[0]}/feedback`, { kind: 'thumbs_up' }],
    ])
    expect(sink.requests[0]!.headers.authorization).toBe('Bearer il_child')
  })

  it('without the exit handler the same events are lost, and the process still exits promptly', async () => {
    const { code, ids } = await runChild(sink.url, false)
    expect(code).toBe(0)
    expect(ids).toHaveLength(3)
    expect(sink.requests).toHaveLength(0)
  })
})
