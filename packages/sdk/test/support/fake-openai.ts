import { createServer, type Server } from 'node:http'

export type ScriptedReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** Server-sent events, one `data:` line per item (with `event:` names when given), then [DONE]. */
  | { kind: 'sse'; items: unknown[]; eventNames?: boolean; gapMs?: number }

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 that answers each request with the next scripted reply,
 * and records what the client actually sent.
 */
export class FakeOpenAI {
  readonly requests: { path: string; body: Record<string, unknown> }[] = []
  private readonly replies: ScriptedReply[] = []
  private port = 0

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeOpenAI> {
    let fake: FakeOpenAI | undefined
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => void fake!.answer(req.url ?? '', Buffer.concat(chunks).toString('utf8'), res))
    })
    fake = new FakeOpenAI(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address && typeof address === 'object') fake.port = address.port
    return fake
  }

  /** The `baseURL` to give the openai client. */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`
  }

  enqueue(...replies: ScriptedReply[]): void {
    this.replies.push(...replies)
  }

  /** Forgets replies a previous test left unused, so one failing test cannot shift the script of the next. */
  reset(): void {
    this.replies.length = 0
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async answer(path: string, text: string, res: import('node:http').ServerResponse): Promise<void> {
    this.requests.push({ path, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} })
    const reply = this.replies.shift()
    if (!reply) {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: 'no scripted reply left', type: 'test_error' } }))
      return
    }
    if (reply.kind === 'json') {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'x-request-id': 'req_test', ...reply.headers })
      res.end(JSON.stringify(reply.body))
      return
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_test' })
    for (const item of reply.items) {
      const name = reply.eventNames ? `event: ${String((item as { type?: unknown }).type)}\n` : ''
      res.write(`${name}data: ${JSON.stringify(item)}\n\n`)
      if (reply.gapMs) await new Promise((resolve) => setTimeout(resolve, reply.gapMs))
    }
    if (!reply.eventNames) res.write('data: [DONE]\n\n')
    res.end()
  }
}
