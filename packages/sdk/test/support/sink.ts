import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

export interface SinkRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
  receivedAt: number
}

/** How the sink answers one request: a scripted reply, `hang` (never answer), or the default behaviour. */
export type SinkReply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'default'

/**
 * A stand-in interlog server on 127.0.0.1 that records every request and answers like the real one
 * (207 with per-item 201, or 200 for an id it already stored). Tests script faults through `respond`
 * and can take it down and bring it back on the same port.
 */
export class Sink {
  readonly requests: SinkRequest[] = []
  /** Ids acknowledged as stored (201), each once, in arrival order. */
  readonly stored: string[] = []
  respond: (request: SinkRequest, index: number) => SinkReply = () => 'default'
  private readonly storedSet = new Set<string>()
  private readonly sockets = new Set<Socket>()
  private server: Server
  private port = 0

  private constructor() {
    this.server = this.createServer()
  }

  static async start(): Promise<Sink> {
    const sink = new Sink()
    await sink.listen(0)
    return sink
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Every POST /v1/interactions body item id, retries included. */
  postedInteractionIds(): string[] {
    return this.interactionBatches().flatMap((batch) => batch.map((item) => String(item.id)))
  }

  interactionBatches(): Record<string, unknown>[][] {
    return this.requests
      .filter((request) => request.path === '/v1/interactions')
      .map((request) => ((request.body as { interactions?: Record<string, unknown>[] }).interactions ?? []))
  }

  /** The last version received of each stored interaction, by id. */
  interaction(id: string): Record<string, unknown> | undefined {
    return this.interactionBatches().flat().reverse().find((item) => item.id === id)
  }

  feedbackRequests(): SinkRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/feedback'))
  }

  /** Stops listening and cuts open connections, as a crashed server would; the port is kept for up(). */
  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  async up(): Promise<void> {
    this.server = this.createServer()
    await this.listen(this.port)
  }

  async stop(): Promise<void> {
    if (this.server.listening) await this.down()
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        const address = this.server.address()
        if (address && typeof address === 'object') this.port = address.port
        resolve()
      })
    })
  }

  private createServer(): Server {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: unknown = text
        try {
          body = text ? JSON.parse(text) : undefined
        } catch {
          // keep the raw text
        }
        const request: SinkRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, receivedAt: Date.now() }
        this.requests.push(request)
        const reply = this.respond(request, this.requests.length - 1)
        if (reply === 'hang') return
        if (reply === 'default') return this.answerLikeInterlog(request, res)
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
      })
    })
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    return server
  }

  private answerLikeInterlog(request: SinkRequest, res: ServerResponse): void {
    if (request.path.endsWith('/feedback')) {
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ id: 'feedback-id' }))
      return
    }
    const items = (request.body as { interactions?: { id?: string }[] } | undefined)?.interactions ?? []
    const results = items.map((item, index) => {
      const id = String(item.id)
      if (this.storedSet.has(id)) return { index, id, status: 200 }
      this.storedSet.add(id)
      this.stored.push(id)
      return { index, id, status: 201 }
    })
    const created = results.filter((result) => result.status === 201).length
    res.writeHead(207, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ results, created, duplicates: results.length - created, failed: 0 }))
  }
}

/** Polls until `condition` holds; fails the test with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
