import { Interlog } from '@interlog/sdk'
import type { AuthContext } from '../auth/auth-context.js'
import type { InteractionsService } from '../interactions/interactions.service.js'

/** Where the in-process clients "send": a name only, the requests never leave the process. */
const IN_PROCESS_URL = 'http://interlog.in-process'

/**
 * The flows' tracers: one interlog SDK client per tenant whose transport hands each batch to this
 * server's own ingest (no HTTP hop, no key), so flow steps are recorded exactly as an app's would be:
 * batched, validated, group-committed.
 */
export class FlowTracers {
  private readonly clients = new Map<string, Interlog>()

  constructor(private readonly interactions: InteractionsService) {}

  for(tenantId: string): Interlog {
    let client = this.clients.get(tenantId)
    if (!client) {
      const auth: AuthContext = { keyId: 'flows', tenantId, scopes: new Set(['ingest']), isRoot: false }
      client = new Interlog({
        baseUrl: IN_PROCESS_URL,
        registerExitHandler: false,
        flushIntervalMs: 200,
        runtime: { fetch: (url, init) => this.deliver(auth, url, init) },
      })
      this.clients.set(tenantId, client)
    }
    return client
  }

  /** Resolves once everything the tenant's flows recorded so far is stored. */
  flush(tenantId: string): Promise<void> {
    return this.clients.get(tenantId)?.flush() ?? Promise.resolve()
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.shutdown()))
    this.clients.clear()
  }

  private async deliver(auth: AuthContext, url: string, init: RequestInit): Promise<Response> {
    if (new URL(url).pathname !== '/v1/interactions') return Response.json({ error: { code: 'not_found', message: `${url} is not served in process` } }, { status: 404 })
    const result = await this.interactions.ingest(auth, JSON.parse(String(init.body)))
    return Response.json(result.body, { status: result.status })
  }
}
