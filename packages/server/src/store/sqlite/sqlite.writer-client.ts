import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { InsertOutcome } from '../store.js'
import type { EncodedGroup } from './sqlite.insert-batch.js'
import type { WriterReply, WriterRequest, WriterThreadData } from './sqlite.writer-protocol.js'

/**
 * The ingest writer's SQLite thread, seen from the event loop: `write` resolves once the batch's
 * transaction committed on the thread's own connection. A thread that dies fails what it had.
 */
export class SqliteWriterThread {
  private readonly worker: Worker
  private readonly pending = new Map<number, { resolve: (outcomes: InsertOutcome[][]) => void; reject: (error: Error) => void }>()
  private nextId = 1
  private failure: Error | undefined

  constructor(data: WriterThreadData) {
    this.worker = startWorker(data)
    this.worker.on('message', (reply: WriterReply) => this.settle(reply))
    this.worker.on('error', (error) => this.failAll(error))
    this.worker.on('exit', (code) => this.failAll(new Error(`The SQLite writer thread exited (code ${code})`)))
    // An idle thread does not keep the process alive; one with writes under way does.
    this.worker.unref()
  }

  write(groups: EncodedGroup[]): Promise<InsertOutcome[][]> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.ref()
      this.worker.postMessage({ kind: 'write', id, groups } satisfies WriterRequest)
    })
  }

  /** Closes the thread's connection once the writes before it are done, then ends the thread. */
  async close(): Promise<void> {
    if (this.failure) return
    const closed = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.ref()
    this.worker.postMessage({ kind: 'close' } satisfies WriterRequest)
    await closed
  }

  private settle(reply: WriterReply): void {
    if (reply.kind === 'closed') {
      void this.worker.terminate()
      return
    }
    const waiter = this.pending.get(reply.id)
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.worker.unref()
    if (reply.kind === 'written') waiter?.resolve(reply.outcomes)
    else waiter?.reject(Object.assign(new Error(reply.message), { code: reply.code }))
  }

  private failAll(error: Error): void {
    this.failure ??= error
    for (const waiter of this.pending.values()) waiter.reject(error)
    this.pending.clear()
  }
}

/** From the built package, the thread runs the compiled entry; from the sources (tests), tsx loads the TypeScript one. */
function startWorker(data: WriterThreadData): Worker {
  const fromSources = import.meta.url.endsWith('.ts')
  const entry = new URL(`./sqlite.writer-thread.${fromSources ? 'ts' : 'js'}`, import.meta.url)
  if (!fromSources) return new Worker(entry, { workerData: data })
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(bootstrap, { eval: true, workerData: data })
}
