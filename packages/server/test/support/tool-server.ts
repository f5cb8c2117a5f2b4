import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { demoTools } from '@interlog/flows'

/**
 * A local HTTP server playing a company's own services for flows' webhook tools: it answers
 * POST {"tool","arguments",...} with the demo tools' results, and keeps every call.
 */
export async function startToolServer() {
  const tools = demoTools()
  const calls: { tool: string; arguments: Record<string, unknown>; flow_id: string; session_id: string }[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof calls)[number]
      calls.push(call)
      const tool = tools[call.tool]
      response.writeHead(tool ? 200 : 404, { 'content-type': 'application/json' })
      response.end(JSON.stringify(tool ? await tool(call.arguments, { flowId: call.flow_id, sessionId: call.session_id, context: {} }) : { error: 'no such tool' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, calls, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
