import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the thread copies committed WAL pages into the database file. */
const CHECKPOINT_EVERY_MS = 100

/**
 * The writing connection's own checkpoint limit while the thread runs, in pages (~200 MB): above the
 * largest commit (an archive chunk's deletes, ~140 MB at a million rows), so in normal work it never
 * triggers; it bounds the WAL if the thread falls behind or fails.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 50_000

/**
 * The thread's code, run as a script so the same text serves the built server and the tests (which
 * run the TypeScript sources). It has a connection of its own to the file: SQLite lets any connection
 * checkpoint, and a PASSIVE checkpoint never waits for, nor blocks, the writer or the readers.
 */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs)
parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/**
 * Checkpoints the database's WAL on a thread of its own. Left to the writing connection, a checkpoint
 * runs inside the commit that crosses the size limit: it reads back the pages just written, writes
 * them into the database file and syncs it, all on the server's only thread — under sustained
 * ingest about 10% of the thread's time, and during an archive run half of each chunk's commit, when
 * requests wait. Here that work overlaps the writer's; the writer's own limit stays as a backstop.
 */
export class BackgroundCheckpointer {
  private readonly thread: Worker
  private readonly exited: Promise<unknown>

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.thread = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } })
    this.exited = new Promise((resolve) => this.thread.once('exit', resolve))
    // A failed checkpoint loses nothing: the pages stay in the WAL, and the writer's backstop
    // checkpoints them. So the thread's end, even by an error, is not the server's.
    this.thread.on('error', () => {})
    // Never what keeps a process alive (a CLI command that forgot to close its store still exits).
    this.thread.unref()
  }

  async stop(): Promise<void> {
    this.thread.ref() // waited for now: an unreferenced thread would let the process end first
    this.thread.postMessage('stop')
    await this.exited
  }
}
