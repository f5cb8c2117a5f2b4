import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const SERVER_MAIN = fileURLToPath(new URL('../../packages/server/dist/cli/main.js', import.meta.url))
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 30_000
/** Linux reports process CPU time in USER_HZ ticks, 100 per second on every mainstream build. */
const TICKS_PER_SECOND = 100

export interface ServerOptions {
  dataDir: string
  adminKey: string
  /** Set for PostgreSQL; SQLite lives in dataDir otherwise. */
  databaseUrl?: string
  databaseSchema?: string
  nodeArgs: string[]
}

export interface ServerProcess {
  url: string
  pid: number
  /** CPU time the server has used so far (user + system), or NaN where /proc is missing. */
  cpuMs(): number
  /** SIGTERM, as an operator would: the server drains its writer and exits. */
  stop(): Promise<void>
}

/**
 * Runs `interlog serve` as its own process on a free port. The log level is info only to read the
 * "listening" line (request logging is off in the server, so info adds no per-request cost).
 */
export async function startServerProcess(options: ServerOptions): Promise<ServerProcess> {
  const args = [...options.nodeArgs, SERVER_MAIN, 'serve', '--port', '0', '--data', options.dataDir]
  args.push('--rate-limit-per-minute', '0', '--log-level', 'info')
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl)
  const child = spawn(process.execPath, args, {
    env: { ...process.env, INTERLOG_ADMIN_KEY: options.adminKey, INTERLOG_DATABASE_SCHEMA: options.databaseSchema ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await listeningUrl(child)
  return { url, pid: child.pid!, cpuMs: () => processCpuMs(child.pid!), stop: () => stopProcess(child) }
}

/** CPU time per item is steadier than items per second when other work shares the machine. */
function processCpuMs(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}

/** Resolves with the URL of the "listening" log line; other lines of warn level or worse are echoed. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in time')), START_TIMEOUT_MS)
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before listening`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = parseLogLine(line)
      if (entry?.msg === 'listening' && typeof entry.url === 'string') {
        clearTimeout(timer)
        resolve(entry.url)
      } else if (!entry || (typeof entry.level === 'number' && entry.level >= 40)) {
        process.stderr.write(`[server] ${line}\n`)
      }
    })
  })
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
