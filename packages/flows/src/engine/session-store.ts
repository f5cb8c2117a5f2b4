import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { FlowSession } from '@interlog/schema'
import { SessionConflictError } from '../errors.js'

/**
 * Where session state lives. `save` stores a state whose `version` is one more than the stored one
 * (1 for a new session) and throws SessionConflictError otherwise, so two turns of one session never
 * overwrite each other, whichever process runs them.
 */
export interface SessionStore {
  load(flowId: string, sessionId: string): Promise<FlowSession | undefined>
  save(state: FlowSession): Promise<void>
}

const copy = (state: FlowSession): FlowSession => structuredClone(state)

/** In memory, for tests and one-off runs. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, FlowSession>()

  async load(flowId: string, sessionId: string): Promise<FlowSession | undefined> {
    const state = this.sessions.get(JSON.stringify([flowId, sessionId]))
    return state && copy(state)
  }

  async save(state: FlowSession): Promise<void> {
    const key = JSON.stringify([state.flow_id, state.session_id])
    if ((this.sessions.get(key)?.version ?? 0) !== state.version - 1) throw new SessionConflictError(state.flow_id, state.session_id)
    this.sessions.set(key, copy(state))
  }
}

/** A file name that cannot leave its folder: anything but letters, digits, _ and - is %-escaped (dots too). */
export const safeFileName = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, (char) => `%${char.codePointAt(0)!.toString(16).padStart(2, '0')}`)

/** `<dir>/<flow>/<session>.json` */
export const sessionFile = (dir: string, flowId: string, sessionId: string) => join(dir, safeFileName(flowId), `${safeFileName(sessionId)}.json`)

/**
 * One JSON file per session, written to a temporary file, flushed to disk and renamed over the old
 * one, so a crash leaves either the old state or the new one. For a single process (the version check
 * reads the file); use a database-backed store when several processes share sessions.
 */
export class JsonFileSessionStore implements SessionStore {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly dir: string) {}

  async load(flowId: string, sessionId: string): Promise<FlowSession | undefined> {
    try {
      return JSON.parse(await readFile(sessionFile(this.dir, flowId, sessionId), 'utf8')) as FlowSession
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  save(state: FlowSession): Promise<void> {
    // Saves run one at a time, so the version check and the write are one step.
    const saved = this.queue.then(async () => {
      const stored = await this.load(state.flow_id, state.session_id)
      if ((stored?.version ?? 0) !== state.version - 1) throw new SessionConflictError(state.flow_id, state.session_id)
      await writeDurably(sessionFile(this.dir, state.flow_id, state.session_id), JSON.stringify(state))
    })
    this.queue = saved.catch(() => undefined)
    return saved
  }
}

async function writeDurably(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  const handle = await open(temporary, 'w')
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temporary, file)
}

/** Also writes every saved state, pretty-printed, to `<dir>/<flow>/<session>.json`: a snapshot for debugging. */
export function withSnapshots(store: SessionStore, dir: string): SessionStore {
  return {
    load: (flowId, sessionId) => store.load(flowId, sessionId),
    async save(state) {
      await store.save(state)
      const file = sessionFile(dir, state.flow_id, state.session_id)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, 'utf8')
    },
  }
}
