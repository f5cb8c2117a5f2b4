/**
 * Last-chance delivery when the host goes away. One listener per process (not per client), so many
 * clients never trip Node's MaxListeners warning. Clients join on their first event and leave on shutdown().
 */
export interface ExitAware {
  /** Node `beforeExit`: deliver what is queued, keeping the process alive until done or the deadline. */
  drainBeforeExit(): Promise<void>
  /** Browser page hide: start sending now, with keepalive requests that survive the page. */
  flushOnPageHide(): void
}

interface NodeProcessLike {
  on(event: 'beforeExit', listener: () => void): unknown
  versions?: { node?: string }
}

const clients = new Set<ExitAware>()
let installed = false

export function registerForExit(client: ExitAware): void {
  clients.add(client)
  if (!installed) installed = install()
}

export function unregisterForExit(client: ExitAware): void {
  clients.delete(client)
}

function install(): boolean {
  const nodeProcess = (globalThis as { process?: NodeProcessLike }).process
  if (nodeProcess?.versions?.node && typeof nodeProcess.on === 'function') {
    // beforeExit fires when the event loop empties (not on process.exit() or signals: call shutdown() there).
    // A client with nothing queued schedules nothing, so the process then exits.
    nodeProcess.on('beforeExit', () => {
      for (const client of clients) void client.drainBeforeExit()
    })
    return true
  }
  const doc = (globalThis as { document?: Document }).document
  if (doc && typeof globalThis.addEventListener === 'function') {
    const flushAll = () => {
      for (const client of clients) client.flushOnPageHide()
    }
    globalThis.addEventListener('pagehide', flushAll)
    // Mobile browsers often skip pagehide; going to the background is the last reliable moment.
    doc.addEventListener('visibilitychange', () => {
      if (doc.visibilityState === 'hidden') flushAll()
    })
    return true
  }
  return false
}
