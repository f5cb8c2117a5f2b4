/**
 * Run as a child process by exit.test.ts: tracks a few events and simply ends, with no flush() or
 * shutdown(). Only the SDK's own exit handling can deliver them. argv: <sink url> <register exit handler: yes|no>
 */
import { Interlog } from '../../src/index.js'

const [baseUrl, registerExitHandler] = process.argv.slice(2)
const interlog = new Interlog({
  baseUrl,
  apiKey: 'il_child',
  // Long interval and large batches: nothing would leave before the process ends on its own.
  flushIntervalMs: 60_000,
  flushAt: 1000,
  retryBaseDelayMs: 20,
  registerExitHandler: registerExitHandler === 'yes',
  onError: (error) => process.stderr.write(`${error.code}: ${error.message}\n`),
})

const ids = [1, 2, 3].map((n) => interlog.track({ type: 'exit_test', userMessage: `message ${n}` }))
interlog.feedback(ids[0]!, { kind: 'thumbs_up' })
process.stdout.write(JSON.stringify({ ids }))
