import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built CLI of packages/server (`npm run build` at the root makes it). */
export const serverEntry = fileURLToPath(new URL('../../../server/dist/cli/main.js', import.meta.url))

export function serverIsBuilt(): boolean {
  return existsSync(serverEntry)
}

export interface RunningServer {
  url: string
  adminKey: string
  /** Calls the API with a bearer key; returns the status and parsed JSON body. */
  request(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }>
  stop(): Promise<void>
}

/**
 * Starts a real interlog server on a free port with its own SQLite directory, exactly as a user would
 * (`interlog serve --port 0 --data <dir>`), and waits for its "listening" log line.
 */
export async function startInterlogServer(): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'interlog-sdk-test-'))
  const adminKey = `sdk-test-admin-${'x'.repeat(24)}`
  // Only what the server needs: an INTERLOG_* variable from the outer environment must not change the test.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('INTERLOG_')))
  const child = spawn(process.execPath, [serverEntry, 'serve', '--port', '0', '--data', dataDir], {
    env: { ...env, INTERLOG_ADMIN_KEY: adminKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let url: string
  try {
    url = await waitForListening(child)
  } catch (error) {
    child.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }

  return {
    url,
    adminKey,
    async request(method, path, key, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, body: text ? JSON.parse(text) : undefined }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A tenant with an API key holding `scopes`, made through the admin API. */
export async function createTenantKey(server: RunningServer, tenantName: string, scopes: string[]): Promise<{ tenantId: string; key: string }> {
  const tenant = await server.request('POST', '/v1/admin/tenants', server.adminKey, { name: tenantName })
  if (tenant.status !== 201 && tenant.status !== 200) throw new Error(`creating tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`)
  const key = await server.request('POST', '/v1/admin/keys', server.adminKey, { tenant_id: tenant.body.id, scopes })
  if (key.status !== 201 && key.status !== 200) throw new Error(`creating key: ${key.status} ${JSON.stringify(key.body)}`)
  return { tenantId: tenant.body.id as string, key: key.body.key as string }
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    let pending = ''
    const timer = setTimeout(() => fail(new Error('server did not log "listening" within 30 s')), 30_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      reject(new Error(`${error.message}\n--- server output ---\n${output}`))
    }
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString()
      output += text
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string }
          if (entry.msg === 'listening' && entry.url) {
            clearTimeout(timer)
            resolve(entry.url)
          }
        } catch {
          // not a JSON log line
        }
      }
    })
    child.once('exit', (code) => fail(new Error(`server exited with code ${code} before listening`)))
  })
}
