import type { Flow } from '../definition/flow.types.js'
import type { ToolFunction } from '../tools/tools.js'

const AGREES = "\\b(yes|yeah|yep|sure|ok|okay|please do|go ahead|book it|sounds good|do it|confirm)\\b"
const DECLINES = "\\b(no|nope|not now|cancel|don't|do not|stop|never mind)\\b"

/**
 * A customer-service flow for a home-repair company: greet → capture the issue → acknowledge → gather
 * name and phone → look the customer up (tool) → plan a task (tool) → tell the customer and ask to
 * proceed. Every reply has a template, so it runs with no model; with an LLM the instructions are used.
 * Pure JSON: it can be sent to the server as it is (`PUT /v1/flows/customer-service`).
 */
export const customerServiceFlow: Flow = {
  id: 'customer-service',
  name: 'Acme Home Services support',
  description: 'You are the friendly support agent of Acme Home Services, a home repair company. Keep replies to one or two sentences.',
  fields: {
    customer_name: "The customer's full name",
    customer_phone_number: "The customer's phone number",
    customer_email: "The customer's email address",
    main_ask: 'What the customer needs help with, in their own words',
  },
  start: 'greet',
  nodes: {
    greet: {
      kind: 'reply',
      instructions: 'Greet the customer as Acme Home Services and ask how you can help.',
      template: "Hello! You've reached Acme Home Services. How can I help you today?",
      edges: [
        { to: 'acknowledge', when: { present: ['main_ask'] }, advance: 'auto' },
        { to: 'capture_issue', advance: 'stepwise' },
      ],
    },
    capture_issue: {
      kind: 'reply',
      instructions: 'Ask the customer to describe the problem they need help with.',
      template: 'Could you tell me what the problem is?',
      edges: [{ to: 'acknowledge', when: { present: ['main_ask'] }, advance: 'stepwise' }],
    },
    acknowledge: {
      kind: 'reply',
      instructions: 'Acknowledge the problem ({{main_ask}}) with empathy and say you will get it sorted.',
      template: "I'm sorry to hear that. Let's get it sorted for you.",
      edges: [
        { to: 'lookup_customer', when: { present: ['customer_name', 'customer_phone_number'] }, advance: 'auto' },
        { to: 'gather_contact', advance: 'auto' },
      ],
    },
    gather_contact: {
      kind: 'reply',
      instructions: 'Ask for what is still missing of the full name and the phone number, so you can find their account.',
      template: 'To find your account, could you give me your full name and phone number?',
      edges: [{ to: 'lookup_customer', when: { present: ['customer_name', 'customer_phone_number'] }, advance: 'stepwise' }],
    },
    lookup_customer: {
      kind: 'tool',
      tool: 'lookup_customer',
      arguments: { name: '{{customer_name}}', phone: '{{customer_phone_number}}' },
      result_field: 'customer_id',
      edges: [{ to: 'plan_task', when: { present: ['customer_id'] }, advance: 'auto' }],
    },
    plan_task: {
      kind: 'tool',
      tool: 'plan_task',
      arguments: { customer_id: '{{customer_id}}', problem: '{{main_ask}}' },
      result_field: 'task',
      edges: [{ to: 'propose', when: { present: ['task'] }, advance: 'auto' }],
    },
    propose: {
      kind: 'reply',
      instructions: 'Tell {{customer_name}} the plan ({{task}}) and ask whether to go ahead and book it.',
      template: 'Thank you, {{customer_name}}. I can send a technician for "{{main_ask}}" on the first free slot. Shall I book it?',
      edges: [
        { to: 'booked', when: { any_of: [{ message_matches: AGREES }, { llm: 'The customer agreed to book the visit' }] }, advance: 'stepwise' },
        { to: 'declined', when: { any_of: [{ message_matches: DECLINES }, { llm: 'The customer declined the visit' }] }, advance: 'stepwise' },
      ],
    },
    booked: {
      kind: 'reply',
      instructions: 'Confirm the booking warmly and say goodbye.',
      template: "Done! Your visit is booked and we'll text {{customer_phone_number}} the details. Goodbye!",
    },
    declined: {
      kind: 'reply',
      instructions: 'Say that is fine, nothing was booked, and they can come back any time.',
      template: "No problem, nothing has been booked. We're here whenever you need us.",
    },
  },
}

/** The example flow for an engine without an LLM: the described conditions are left out. */
export function offlineCustomerServiceFlow(): Flow {
  const flow: Flow = structuredClone({ ...customerServiceFlow })
  const propose = flow.nodes.propose!
  propose.edges = [
    { to: 'booked', when: { message_matches: AGREES }, advance: 'stepwise' },
    { to: 'declined', when: { message_matches: DECLINES }, advance: 'stepwise' },
  ]
  return flow
}

/** Demo tools: an in-memory customer directory and task planner, so the example runs on its own. */
export function demoTools(): Record<string, ToolFunction> {
  const customers = new Map<string, string>()
  let tasks = 0
  return {
    lookup_customer: ({ name, phone }) => {
      const key = String(phone)
      if (!customers.has(key)) customers.set(key, `cust-${String(customers.size + 1).padStart(4, '0')}`)
      return customers.get(key)!
    },
    plan_task: ({ customer_id, problem }) => {
      tasks += 1
      return `task-${String(tasks).padStart(4, '0')}: technician visit for ${String(customer_id)} about "${String(problem)}"`
    },
  }
}
