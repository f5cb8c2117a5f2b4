import type { TrackInput } from '@interlog/sdk'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { customerServiceFlow, demoTools, FlowEngine, LlmCallError, LlmClient, LlmExtractor, UPDATE_CONTEXT_TOOL, type Flow } from '../src/index.js'
import { forcedTool, startScriptedLlm, type ChatRequest, type Script } from './support/scripted-llm.js'

let llm: Awaited<ReturnType<typeof startScriptedLlm>>
let script: Script
beforeAll(async () => {
  llm = await startScriptedLlm((request) => script(request))
})
afterAll(() => llm.stop())
beforeEach(() => {
  llm.requests.length = 0
})

const options = () => ({ baseUrl: llm.baseURL, apiKey: 'test-key', model: 'test-model', maxRetries: 0 })
const text = (request: ChatRequest) => request.messages.map((message) => String(message.content)).join('\n')
const toolParameters = (request: ChatRequest) => request.tools![0]!.function.parameters

/** A model that knows the roof conversation: it extracts, judges and writes replies that say which task they were given. */
const roofModel: Script = (request) => {
  const tool = forcedTool(request)
  const conversation = text(request)
  if (tool === UPDATE_CONTEXT_TOOL) {
    const all: Record<string, string> = conversation.includes('roof')
      ? { customer_name: 'John Smith', customer_phone_number: '+1 555 123 4567', main_ask: 'Roof is leaking' }
      : {}
    const asked = Object.keys(toolParameters(request).properties)
    return { tool, arguments: Object.fromEntries(Object.entries(all).filter(([name]) => asked.includes(name))) }
  }
  if (tool === 'judge_statements') {
    const agreed = /Customer: Yes/.test(conversation)
    return { tool, arguments: { s1: agreed, s2: !agreed, reason: agreed ? 'they said yes' : 'they said no' } }
  }
  const task = /Your task for this message: (.*)/.exec(String(request.messages[0]!.content))![1]
  return { content: `(${task})` }
}

describe('LLM paths through the official openai client', () => {
  it('writes replies from instructions, extracts with update_context and navigates by the judged statements', async () => {
    script = roofModel
    const events: TrackInput[] = []
    const engine = new FlowEngine({ flow: customerServiceFlow, llm: options(), tools: { functions: demoTools() }, tracer: { track: (e) => (events.push(e), 'x') } })

    const first = await engine.handle('s1', 'Hi there')
    expect(first.replies).toEqual(['(Greet the customer as Acme Home Services and ask how you can help.)'])
    const greetRequest = llm.requests[0]!
    expect(greetRequest.model).toBe('test-model')
    expect(String(greetRequest.messages[0]!.content)).toContain('Acme Home Services, a home repair company')
    expect(greetRequest.messages.at(-1)).toEqual({ role: 'user', content: 'Hi there' })
    // The extraction call: a forced update_context whose parameters are the (still empty) field definitions.
    const extraction = llm.requests[1]!
    expect(forcedTool(extraction)).toBe(UPDATE_CONTEXT_TOOL)
    expect(toolParameters(extraction).properties).toEqual({
      customer_name: { type: 'string', description: "The customer's full name" },
      customer_phone_number: { type: 'string', description: "The customer's phone number" },
      customer_email: { type: 'string', description: "The customer's email address" },
      main_ask: { type: 'string', description: 'What the customer needs help with, in their own words' },
    })
    expect(text(extraction)).toContain('Customer: Hi there\nAgent: (Greet the customer')

    llm.requests.length = 0
    const second = await engine.handle('s1', "My roof is leaking, I'm John Smith, my number is 555-123-4567")
    expect(second.fields).toEqual({ customer_name: 'John Smith', customer_phone_number: '+1 555 123 4567', customer_email: null, main_ask: 'Roof is leaking' })
    expect(second.path).toEqual(['acknowledge', 'lookup_customer', 'plan_task', 'propose'])
    expect(second.replies).toEqual([
      '(Acknowledge the problem (Roof is leaking) with empathy and say you will get it sorted.)',
      '(Tell John Smith the plan (task-0001: technician visit for cust-0001 about "Roof is leaking") and ask whether to go ahead and book it.)',
    ])
    // One extraction for the customer's new message, asking only for what was still empty; none after the tool steps.
    const extractions = llm.requests.filter((request) => forcedTool(request) === UPDATE_CONTEXT_TOOL)
    expect(extractions.map((request) => Object.keys(toolParameters(request).properties))).toEqual([['customer_name', 'customer_phone_number', 'customer_email', 'main_ask']])

    llm.requests.length = 0
    const third = await engine.handle('s1', 'Yes, book it')
    const judge = llm.requests.find((request) => forcedTool(request) === 'judge_statements')!
    expect(toolParameters(judge).properties.s1!.description).toBe('The customer agreed to book the visit')
    expect(toolParameters(judge).properties.s2!.description).toBe('The customer declined the visit')
    expect(third.transitions).toEqual([
      {
        from: 'propose',
        to: 'booked',
        advance: 'stepwise',
        reason: "(the customer's message matches /\\b(yes|yeah|yep|sure|ok|okay|please do|go ahead|book it|sounds good|do it|confirm)\\b/i) or (The customer agreed to book the visit) (navigator: they said yes)",
        judged_by: 'llm',
      },
    ])
    expect(third).toMatchObject({ status: 'completed', replies: ['(Confirm the booking warmly and say goodbye.)'] })

    const reply = events.find((event) => event.type === 'flow.reply')!
    expect(reply).toMatchObject({ provider: 'openai-compatible', model: 'test-model', modelVersion: 'test-model-2025-01-01', promptTokens: 40, completionTokens: 9, threadId: 's1' })
    expect(events.find((event) => event.type === 'flow.extract' && event.model === 'test-model')).toBeDefined()
    expect(events.find((event) => event.type === 'flow.navigate' && event.model === 'test-model')?.structuredOutput).toMatchObject({
      to: 'booked',
      verdicts: { 'The customer agreed to book the visit': true, 'The customer declined the visit': false },
    })
  })

  it('takes no value the model invents for fields it was not asked, nor blank ones', async () => {
    script = (request) => ({ tool: UPDATE_CONTEXT_TOOL, arguments: { name: '  ', email: 'a@b.example', invented: 'x' } })
    const extractor = new LlmExtractor(new LlmClient(options()))
    const outcome = await extractor.extract({ messages: [{ role: 'user', content: 'hi' }], fields: { name: 'name', email: 'email' } })
    expect(outcome.values).toEqual({ email: 'a@b.example' })
    expect(outcome.engine).toBe('llm')
  })

  it('fails the turn with LlmCallError when the model is down, with the message kept in the session', async () => {
    script = () => ({ status: 500, message: 'upstream is down' })
    const flow: Flow = { id: 'f', fields: {}, start: 'a', nodes: { a: { kind: 'reply', instructions: 'Say hi' } } }
    const events: TrackInput[] = []
    const engine = new FlowEngine({ flow, llm: options(), tracer: { track: (e) => (events.push(e), 'x') } })
    const failure = await engine.handle('s1', 'hello').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(LlmCallError)
    expect((failure as Error).message).toMatch(/a reply failed: .*upstream is down/)
    expect((await engine.session('s1'))?.messages.map((message) => message.content)).toEqual(['hello'])
    // The failed call is recorded too, as a failed step of the session.
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'flow.reply', threadId: 's1', userMessage: 'hello' })
    expect(events[0]!.error).toBeInstanceOf(LlmCallError)
  })
})
