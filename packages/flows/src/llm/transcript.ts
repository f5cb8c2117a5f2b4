const SPEAKERS: Record<string, string> = { user: 'Customer', assistant: 'Agent', system: 'System' }

/** A conversation as labelled lines, so the model tells the customer's words from the agent's. */
export function transcript(messages: readonly { role: string; content: string }[]): string {
  return messages.map((message) => `${SPEAKERS[message.role] ?? message.role}: ${message.content}`).join('\n')
}

/** The context as lines for a prompt (values as text, unknown ones left out). */
export function knownFacts(context: Readonly<Record<string, unknown>>): string {
  const lines = Object.entries(context)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `- ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
  return lines.length > 0 ? lines.join('\n') : '(nothing yet)'
}
