import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
export const TEST_ADMIN_KEY = 'il_test_admin_key_0123456789abcdefghijklmnop'

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Lines the server printed (stdout and stderr), for assertions and failure messages. */
  output: string[]
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface ServerProcessOptions {
  args?: string[]
  env?: Record<string, string | undefined>
}

/** Runs `interlog serve --port 0` as a real process and waits for its "listening" log line. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0', ...(options.args ?? [])], {
    env: { ...process.env, INTERLOG_ADMIN_KEY: TEST_ADMIN_KEY, INTERLOG_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 30_000)
    exited.then((code) => reject(new Error(`server exited with ${code}:\n${output.join('\n')}`)))
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line)
        if (!line.includes('"msg":"listening"')) return
        clearTimeout(timer)
        resolve((JSON.parse(line) as { url: string }).url)
      })
    }
  })
  return {
    url,
    child,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}
