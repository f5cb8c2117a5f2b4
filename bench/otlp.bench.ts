/**
 * OTLP ingest throughput: realistic GenAI spans sent as protobuf ExportTraceServiceRequests to a real
 * server process, for a fixed time; then the same number of equivalent interactions through the native
 * POST /v1/interactions batches. Prints spans/s, interactions/s and their ratio (goal: OTLP within 2x).
 *
 *   npm run bench:otlp                    # SQLite in a temporary directory
 *   BENCH_SECONDS=20 BENCH_ROUNDS=5 BENCH_BATCH=512 BENCH_CONCURRENCY=8 npm run bench:otlp
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:otlp
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import pg from 'pg'
import { decodeExportTraceRequest } from '../packages/server/src/otlp/otlp.decode.js'
import { mapModelCall } from '../packages/server/src/otlp/genai.mapper.js'
import { otlpProtos } from '../packages/server/src/otlp/otlp.proto.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const BATCH = Number(process.env.BENCH_BATCH ?? 256)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const ADMIN_KEY = 'il_bench_admin_key_0123456789abcdefghij'
const DATABASE_URL = process.env.BENCH_DATABASE_URL
/** With PostgreSQL, a schema of its own, dropped at the end. */
const SCHEMA = `bench_otlp_${process.pid}`
const CLI = new URL('../packages/server/dist/cli/main.js', import.meta.url).pathname

async function startServer(dataDir: string) {
  const args = [CLI, 'serve', '--port', '0', '--data', dataDir, '--rate-limit-per-minute', '0', '--log-level', 'info']
  if (DATABASE_URL) args.push('--database-url', DATABASE_URL)
  const child = spawn(process.execPath, args, {
    env: { ...process.env, INTERLOG_ADMIN_KEY: ADMIN_KEY, INTERLOG_DATABASE_SCHEMA: DATABASE_URL ? SCHEMA : '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"msg":"listening"')) resolve((JSON.parse(line) as { url: string }).url)
    })
  })
  return { url, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) }
}

async function call(url: string, key: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as Record<string, string>
}

const kv = (key: string, value: string | number | string[]) => ({
  key,
  value: Array.isArray(value)
    ? { arrayValue: { values: value.map((item) => ({ stringValue: item })) } }
    : typeof value === 'number'
      ? { intValue: value }
      : { stringValue: value },
})

/** One chat call as OpenLLMetry's current instrumentation reports it (about 1.5 KB of attributes). */
function genAiSpan(n: number, traceId: Buffer, spanId: Buffer) {
  const start = BigInt(Date.now()) * 1_000_000n
  const question = `Customer ${n} asks: where is my order #${100000 + n}? It was due on Monday and the tracking page has not changed since.`
  return {
    traceId,
    spanId,
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 850_000_000n).toString(),
    attributes: [
      kv('gen_ai.operation.name', 'chat'),
      kv('gen_ai.provider.name', 'openai'),
      kv('gen_ai.request.model', 'gpt-4o-mini'),
      kv('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
      kv('gen_ai.response.id', `chatcmpl-${n}`),
      kv('gen_ai.usage.input_tokens', 212),
      kv('gen_ai.usage.output_tokens', 64),
      kv('gen_ai.response.finish_reasons', ['stop']),
      kv('gen_ai.conversation.id', `conv-${n % 500}`),
      kv('user.id', `user-${n % 1000}`),
      kv(
        'gen_ai.input.messages',
        JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: 'You are the support assistant of an online shop. Be concise and friendly; never invent order data.' }] },
          { role: 'user', parts: [{ type: 'text', content: question }] },
        ]),
      ),
      kv(
        'gen_ai.output.messages',
        JSON.stringify([
          { role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Sorry for the wait! Your parcel left our warehouse on Tuesday; the carrier shows delivery by Thursday.' }] },
        ]),
      ),
    ],
    status: {},
  }
}

/**
 * A protobuf batch is encoded once with marker ids; each request copies it and writes fresh ids over
 * the markers, so the client spends almost nothing per request and every span is new to the server.
 */
function protobufBatches() {
  const markers = Array.from({ length: BATCH }, () => ({ trace: randomBytes(16), span: randomBytes(8) }))
  const type = otlpProtos().exportTraceServiceRequest
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', 'support-bot'), kv('deployment.environment.name', 'bench')] },
        scopeSpans: [{ scope: { name: '@traceloop/instrumentation-openai', version: '0.27.0' }, spans: markers.map((m, n) => genAiSpan(n, m.trace, m.span)) }],
      },
    ],
  }
  const template = Buffer.from(type.encode(type.fromObject(request)).finish())
  const offsets = markers.map((m) => ({ trace: template.indexOf(m.trace), span: template.indexOf(m.span) }))
  let counter = 0
  return {
    template: request,
    next(): Buffer {
      const body = Buffer.from(template)
      for (const { trace, span } of offsets) {
        counter += 1
        randomBytes(8).copy(body, trace)
        body.writeUInt32BE(counter, trace + 8)
        body.writeUInt32BE(process.pid, trace + 12)
        body.writeUInt32BE(counter, span)
        body.writeUInt32BE(1, span + 4)
      }
      return body
    },
  }
}

/**
 * The interactions those spans become, as a client of the native API would send them: without ids
 * (the server assigns time-ordered UUIDv7s, the usual case) or with random client ids, which land
 * all over the primary-key index the way OTLP's ids (derived from random trace ids) do.
 */
function nativeBatches(template: Record<string, unknown>) {
  const type = otlpProtos().exportTraceServiceRequest
  const spans = decodeExportTraceRequest(Buffer.from(type.encode(type.fromObject(template)).finish()), 'protobuf').spans
  const interactions = spans.map((received) => {
    const { id: _otlpId, ...interaction } = mapModelCall(received)
    return interaction
  })
  return {
    serverIds: () => ({ interactions }),
    randomIds: () => ({ interactions: interactions.map((interaction) => ({ ...interaction, id: `client-${randomBytes(24).toString('hex')}` })) }),
  }
}

/** Sends batches with CONCURRENCY requests in flight until `done`; answers how many batches and how long. */
async function drive(send: () => Promise<void>, done: (sent: number, startedAt: number) => boolean) {
  let sent = 0
  const startedAt = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (!done(sent, startedAt)) {
        sent += 1
        await send()
      }
    }),
  )
  return { batches: sent, seconds: (performance.now() - startedAt) / 1000 }
}

const dataDir = mkdtempSync(join(tmpdir(), 'interlog-bench-otlp-'))
const server = await startServer(dataDir)
try {
  const tenant = await call(server.url, ADMIN_KEY, '/v1/admin/tenants', { name: 'bench' })
  const { key } = await call(server.url, ADMIN_KEY, '/v1/admin/keys', { tenant_id: tenant.id, scopes: ['ingest'] })
  const headers = { authorization: `Bearer ${key}` }
  const otlp = protobufBatches()
  const native = nativeBatches(otlp.template)
  console.log(`store ${DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${BATCH} spans per request, ${CONCURRENCY} requests in flight, ${SECONDS} s of OTLP in ${ROUNDS} rounds`)

  const sendOtlp = async () => {
    const response = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-protobuf' }, body: new Uint8Array(otlp.next()) })
    const answer = Buffer.from(await response.arrayBuffer())
    if (response.status !== 200 || answer.length !== 0) throw new Error(`OTLP answered ${response.status} (${answer.length} bytes): spans were rejected`)
  }
  const sendNative = (body: () => unknown) => async () => {
    const response = await fetch(`${server.url}/v1/interactions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body()) })
    const answer = (await response.json()) as { created: number }
    if (response.status !== 207 || answer.created !== BATCH) throw new Error(`native answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`)
  }
  const phases = {
    'OTLP protobuf spans': sendOtlp,
    'native interactions, server ids': sendNative(native.serverIds),
    'native interactions, random client ids': sendNative(native.randomIds),
  }
  // Rounds alternate the paths, so load from elsewhere on the machine weighs on all alike; each native
  // phase sends as many batches as the OTLP phase of its round. The first round warms up (JIT, SQLite
  // pages) and is not counted.
  const totals = Object.fromEntries(Object.keys(phases).map((label) => [label, { batches: 0, seconds: 0 }]))
  for (let round = 0; round <= ROUNDS; round++) {
    let otlpBatches = 0
    for (const [label, send] of Object.entries(phases)) {
      const measured =
        label === 'OTLP protobuf spans'
          ? await drive(send, (_sent, startedAt) => performance.now() - startedAt >= (round === 0 ? 1000 : (SECONDS * 1000) / ROUNDS))
          : await drive(send, (sent) => sent >= otlpBatches)
      if (label === 'OTLP protobuf spans') otlpBatches = measured.batches
      if (round === 0) continue
      totals[label]!.batches += measured.batches
      totals[label]!.seconds += measured.seconds
    }
  }
  const rates = Object.fromEntries(Object.entries(totals).map(([label, total]) => [label, (total.batches * BATCH) / total.seconds]))
  for (const [label, total] of Object.entries(totals)) {
    console.log(`${label.padEnd(40)} ${String(total.batches * BATCH).padStart(7)} in ${total.seconds.toFixed(2).padStart(6)} s = ${Math.round(rates[label]!)}/s`)
  }
  const otlpRate = rates['OTLP protobuf spans']!
  console.log(`ratio native (server ids) / OTLP: ${(rates['native interactions, server ids']! / otlpRate).toFixed(2)}x (goal: at most 2x)`)
  console.log(`ratio native (random client ids) / OTLP: ${(rates['native interactions, random client ids']! / otlpRate).toFixed(2)}x`)
} finally {
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
  if (DATABASE_URL) {
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`)
    await client.end()
  }
}
