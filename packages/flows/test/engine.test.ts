import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TrackInput } from '@interlog/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import {
  demoTools,
  FlowEngine,
  JsonFileSessionStore,
  MemorySessionStore,
  offlineCustomerServiceFlow,
  SessionCompletedError,
  SessionConflictError,
  sessionFile,
  type Extractor,
  type Flow,
} from '../src/index.js'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'flows-test-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

const recorder = () => {
  const events: TrackInput[] = []
  return { events, track: (input: TrackInput) => (events.push(input), `id-${events.length}`) }
}

/** A chain of template replies a → b → c with the given advance between them. */
const chain = (advance: 'auto' | 'stepwise'): Flow => ({
  id: 'chain',
  fields: {},
  start: 'a',
  nodes: {
    a: { kind: 'reply', template: 'A', edges: [{ to: 'b', advance }] },
    b: { kind: 'reply', template: 'B', edges: [{ to: 'c', advance }] },
    c: { kind: 'reply', template: 'C' },
  },
})

const ROOF = "My roof is leaking, I'm John Smith, my number is 555-123-4567"

describe('FlowEngine', () => {
  it('keeps going while the taken branch is auto: several replies in one turn, to the end', async () => {
    const engine = new FlowEngine({ flow: chain('auto') })
    const turn = await engine.handle('s1', 'hello')
    expect(turn.replies).toEqual(['A', 'B', 'C'])
    expect(turn.path).toEqual(['a', 'b', 'c'])
    expect(turn.transitions.map((t) => [t.from, t.to, t.advance, t.judged_by])).toEqual([
      ['a', 'b', 'auto', 'always'],
      ['b', 'c', 'auto', 'always'],
    ])
    expect(turn).toMatchObject({ stopped: 'completed', status: 'completed', node: 'c' })
    await expect(engine.handle('s1', 'anyone?')).rejects.toBeInstanceOf(SessionCompletedError)
  })

  it('stops at a stepwise branch and takes it once the customer answers', async () => {
    const engine = new FlowEngine({ flow: chain('stepwise') })
    const first = await engine.handle('s1', 'hello')
    expect(first).toMatchObject({ replies: ['A'], path: ['a'], transitions: [], stopped: 'waiting', node: 'a' })
    expect((await engine.session('s1'))?.waiting).toBe(true)
    const second = await engine.handle('s1', 'go on')
    expect(second).toMatchObject({ replies: ['B'], path: ['b'], stopped: 'waiting', node: 'b' })
    expect(second.transitions).toEqual([{ from: 'a', to: 'b', advance: 'stepwise', reason: 'always', judged_by: 'always' }])
  })

  it('holds maxIterations: an auto loop stops after that many steps and goes on next turn', async () => {
    const loop: Flow = {
      id: 'loop',
      fields: {},
      start: 'ping',
      nodes: {
        ping: { kind: 'reply', template: 'ping', edges: [{ to: 'pong' }] },
        pong: { kind: 'reply', template: 'pong', edges: [{ to: 'ping' }] },
      },
    }
    const engine = new FlowEngine({ flow: loop, maxIterations: 5 })
    const turn = await engine.handle('s1', 'go')
    expect(turn.path).toEqual(['ping', 'pong', 'ping', 'pong', 'ping'])
    expect(turn).toMatchObject({ stopped: 'max_iterations', node: 'pong', status: 'active' })
    expect((await engine.handle('s1', 'again')).path[0]).toBe('pong')
    expect((await new FlowEngine({ flow: loop }).handle('s2', 'go')).path).toHaveLength(10)
    expect(() => new FlowEngine({ flow: loop, maxIterations: 0 })).toThrow(/maxIterations/)
  })

  it('runs the example: one message fills three fields and the flow goes through the automatic steps', async () => {
    const tracer = recorder()
    const engine = new FlowEngine({ flow: offlineCustomerServiceFlow(), tools: { functions: demoTools() }, tracer })
    const greeting = await engine.handle('s1', 'Hi')
    expect(greeting).toMatchObject({ replies: ["Hello! You've reached Acme Home Services. How can I help you today?"], stopped: 'waiting', node: 'greet' })

    const turn = await engine.handle('s1', ROOF)
    expect(turn.fields).toEqual({ customer_name: 'John Smith', customer_phone_number: '+15551234567', customer_email: null, main_ask: 'My roof is leaking' })
    expect(turn.path).toEqual(['acknowledge', 'lookup_customer', 'plan_task', 'propose'])
    expect(turn.replies).toHaveLength(2)
    expect(turn.replies[1]).toBe('Thank you, John Smith. I can send a technician for "My roof is leaking" on the first free slot. Shall I book it?')
    // Tool results reach the context, built from the extracted fields.
    expect(turn.context.customer_id).toBe('cust-0001')
    expect(turn.context.task).toBe('task-0001: technician visit for cust-0001 about "My roof is leaking"')
    expect(turn.transitions.map((t) => `${t.from}→${t.to}: ${t.reason}`)).toEqual([
      'greet→acknowledge: main_ask is known',
      'acknowledge→lookup_customer: customer_name and customer_phone_number are known',
      'lookup_customer→plan_task: customer_id is known',
      'plan_task→propose: task is known',
    ])
    expect(turn.stopped).toBe('waiting')

    const done = await engine.handle('s1', 'Yes please, go ahead')
    expect(done).toMatchObject({ path: ['booked'], status: 'completed', stopped: 'completed' })
    expect(done.replies[0]).toContain('+15551234567')

    const types = tracer.events.map((event) => event.type)
    expect(new Set(types)).toEqual(new Set(['flow.reply', 'flow.extract', 'flow.navigate', 'flow.tool']))
    expect(tracer.events.every((event) => event.threadId === 's1' && event.sessionId === 's1')).toBe(true)
    const lookup = tracer.events.find((event) => event.type === 'flow.tool')!
    expect(lookup.toolCalls![0]).toMatchObject({ name: 'lookup_customer', arguments: { name: 'John Smith', phone: '+15551234567' }, result: 'cust-0001', status: 'success' })
    expect(lookup.metadata).toMatchObject({ flow_id: 'customer-service', node: 'lookup_customer' })
  })

  it('asks for what is missing and waits, then continues when the customer answers', async () => {
    const engine = new FlowEngine({ flow: offlineCustomerServiceFlow(), tools: { functions: demoTools() } })
    const first = await engine.handle('s1', 'Hello, my kitchen sink is clogged')
    expect(first.path).toEqual(['greet', 'acknowledge', 'gather_contact'])
    expect(first).toMatchObject({ stopped: 'waiting', node: 'gather_contact' })
    const partial = await engine.handle('s1', 'Sure, it is Ana Lima')
    expect(partial.path).toEqual(['gather_contact'])
    expect(partial.fields.customer_name).toBe('Ana Lima')
    const complete = await engine.handle('s1', '(415) 555-2671')
    expect(complete.path).toEqual(['lookup_customer', 'plan_task', 'propose'])
    expect(complete.fields).toMatchObject({ customer_name: 'Ana Lima', customer_phone_number: '+14155552671', main_ask: 'My kitchen sink is clogged' })
  })

  it("extracts from the customer's messages only, never from the agent's own words", async () => {
    const flow: Flow = {
      id: 'intro',
      fields: { customer_name: 'name', customer_email: 'email' },
      start: 'hello',
      nodes: { hello: { kind: 'reply', template: "Hi, I'm Sarah Connor from Acme; write to sarah@acme.example. Who am I talking to?", edges: [{ to: 'hello', advance: 'stepwise' }] } },
    }
    const engine = new FlowEngine({ flow })
    expect((await engine.handle('s1', 'hi there')).fields).toEqual({ customer_name: null, customer_email: null })
    expect((await engine.handle('s1', 'Marcus Webb here')).fields).toEqual({ customer_name: 'Marcus Webb', customer_email: null })
  })

  it('never overwrites a known field, and asks the extractor only for empty ones', async () => {
    const asked: string[][] = []
    const extractor: Extractor = {
      engine: 'offline',
      async extract(request) {
        asked.push(Object.keys(request.fields))
        const values: Record<string, string> = asked.length === 1 ? { name: 'Ana' } : { name: '   ', email: 'ana@example.com', phone: '' }
        return { engine: 'offline', values }
      },
    }
    const flow: Flow = {
      id: 'f',
      fields: { name: 'name', email: 'email', phone: 'phone' },
      start: 'ask',
      nodes: { ask: { kind: 'reply', template: 'Tell me more', edges: [{ to: 'ask', advance: 'stepwise' }] } },
    }
    const engine = new FlowEngine({ flow, extractor })
    await engine.handle('s1', 'one')
    const turn = await engine.handle('s1', 'two')
    expect(asked).toEqual([
      ['name', 'email', 'phone'],
      ['email', 'phone'],
    ])
    expect(turn.fields).toEqual({ name: 'Ana', email: 'ana@example.com', phone: null })
  })

  it('keeps the state across a restart (a new engine on the same files)', async () => {
    const dir = tempDir()
    const snapshots = tempDir()
    const make = () => new FlowEngine({ flow: offlineCustomerServiceFlow(), sessions: new JsonFileSessionStore(dir), tools: { functions: demoTools() }, snapshotDir: snapshots })
    await make().handle('s/1', 'Hello, my kitchen sink is clogged')
    await make().handle('s/1', "I'm Ana Lima")
    const resumed = await make().handle('s/1', 'my number is 415 555 2671')
    expect(resumed.path).toEqual(['lookup_customer', 'plan_task', 'propose'])
    expect(resumed.fields.customer_name).toBe('Ana Lima')
    const stored = await make().session('s/1')
    expect(stored).toMatchObject({ node: 'propose', waiting: true, turns: 3, fields: { customer_name: 'Ana Lima', customer_phone_number: '+14155552671' } })
    expect(stored!.messages.filter((message) => message.role === 'user')).toHaveLength(3)
    // The debugging snapshot is the same state, pretty-printed, in a file that stays inside its folder.
    const file = sessionFile(snapshots, 'customer-service', 's/1')
    expect(file.startsWith(snapshots)).toBe(true)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(stored)
  })

  it('refuses a save from a stale version, and runs concurrent turns of one session one after the other', async () => {
    const sessions = new MemorySessionStore()
    const engine = new FlowEngine({ flow: chain('stepwise'), sessions })
    const [first, second] = await Promise.all([engine.handle('s1', 'one'), engine.handle('s1', 'two')])
    expect(first.path).toEqual(['a'])
    expect(second.path).toEqual(['b'])
    const state = (await sessions.load('chain', 's1'))!
    await expect(sessions.save({ ...state, version: state.version })).rejects.toBeInstanceOf(SessionConflictError)
  })

  it('records a failed tool call, leaves its result empty and waits', async () => {
    const flow: Flow = {
      id: 'tools',
      fields: {},
      start: 'look',
      nodes: {
        look: { kind: 'tool', tool: 'lookup', arguments: { q: 'x' }, result_field: 'found', edges: [{ to: 'done', when: { present: ['found'] } }] },
        done: { kind: 'reply', template: 'Found {{found}}' },
      },
    }
    const tracer = recorder()
    const engine = new FlowEngine({ flow, tracer, tools: { functions: { lookup: () => Promise.reject(new Error('directory offline')) } } })
    const turn = await engine.handle('s1', 'find it')
    expect(turn).toMatchObject({ stopped: 'waiting', node: 'look', errors: [{ node: 'look', message: 'directory offline' }] })
    expect(turn.context).toEqual({})
    const event = tracer.events.find((e) => e.type === 'flow.tool')!
    expect(event.toolCalls![0]).toMatchObject({ status: 'failure', error: 'directory offline' })
    expect(event.error).toBeInstanceOf(Error)
  })

  it('calls MCP-style tools by name, and webhook tools over HTTP', async () => {
    const flow: Flow = {
      id: 'mcp',
      fields: { customer_email: 'email' },
      start: 'ask',
      nodes: {
        ask: { kind: 'reply', template: 'Your email?', edges: [{ to: 'find', when: { present: ['customer_email'] }, advance: 'stepwise' }] },
        find: { kind: 'tool', tool: 'crm_find', arguments: { email: '{{customer_email}}', limit: 1 }, result_field: 'account', edges: [{ to: 'hook' }] },
        hook: { kind: 'tool', tool: 'notify', arguments: { text: 'account {{account}}' }, result_field: 'ticket', edges: [{ to: 'bye' }] },
        bye: { kind: 'reply', template: 'Ticket {{ticket}}' },
      },
      tools: { notify: { url: 'http://hooks.example/notify' } },
    }
    const calls: unknown[] = []
    const provider = {
      listTools: async () => ({ tools: [{ name: 'crm_find' }] }),
      callTool: async (request: { name: string; arguments: Record<string, unknown> }) => {
        calls.push(request)
        return { content: [{ type: 'text', text: '"acct-7"' }] }
      },
    }
    const fetched: { url: string; body: unknown }[] = []
    const fakeFetch = (async (url: string, init: RequestInit) => {
      fetched.push({ url, body: JSON.parse(String(init.body)) })
      return new Response(JSON.stringify({ id: 'T-1' }), { status: 200 })
    }) as typeof fetch
    const engine = new FlowEngine({ flow, tools: { providers: [provider], fetch: fakeFetch } })
    await engine.handle('s1', 'hi')
    const turn = await engine.handle('s1', 'it is ana@example.com')
    expect(calls).toEqual([{ name: 'crm_find', arguments: { email: 'ana@example.com', limit: 1 } }])
    expect(fetched).toEqual([{ url: 'http://hooks.example/notify', body: { tool: 'notify', arguments: { text: 'account acct-7' }, flow_id: 'mcp', session_id: 's1' } }])
    expect(turn.replies).toEqual(['Ticket {"id":"T-1"}'])
    expect(() => new FlowEngine({ flow, tools: { providers: [provider], allowedWebhookPrefixes: ['https://ok.example/'] } })).toThrow(/not allowed/)
  })
})
