import type { FlowMessage, FlowSession } from '@interlog/schema'

/** A new session standing at the flow's start, with nothing known yet. */
export function newSession(flowId: string, sessionId: string, userId: string | null, start: string, at: string): FlowSession {
  return {
    flow_id: flowId,
    session_id: sessionId,
    user_id: userId,
    status: 'active',
    node: start,
    waiting: false,
    fields: {},
    context: {},
    messages: [],
    extracted_through: 0,
    turns: 0,
    version: 0,
    created_at: at,
    updated_at: at,
  }
}

/** The extracted fields as the answer shows them: text, or null while unknown. */
export function fieldsOf(fields: Record<string, string>, context: Readonly<Record<string, unknown>>): Record<string, string | null> {
  return Object.fromEntries(
    Object.keys(fields).map((name) => {
      const value = context[name]
      if (value === undefined || value === null || value === '') return [name, null]
      return [name, typeof value === 'string' ? value : JSON.stringify(value)]
    }),
  )
}

export function lastCustomerMessage(messages: readonly FlowMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) if (messages[index]!.role === 'user') return messages[index]!.content
  return ''
}

/** Runs work for one key at a time (turns of one session), in arrival order. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const result = previous.then(work, work)
    const tail = result.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }
}
