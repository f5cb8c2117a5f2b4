import type { ConversationMessage } from '../extractor.js'

/** One customer message with the agent message just before it (the question it may answer). */
export interface CustomerTurn {
  text: string
  question: string
}

/** "sure", "ok": a reply that leaves the agent's question open. */
const ACKNOWLEDGEMENT = /^\s*(?:sure|ok(?:ay)?|yes|yeah|yep|of course|go ahead|right|hm+|um+)[\s,.!]*$/i

/**
 * The customer's messages, oldest first. Agent messages are kept only as the question a message
 * answers; a question answered only with "sure" stays open for the next message.
 */
export function customerTurns(messages: readonly ConversationMessage[]): CustomerTurn[] {
  const turns: CustomerTurn[] = []
  let question = ''
  let open = ''
  for (const message of messages) {
    if (message.role === 'assistant') question = open ? `${open}\n${message.content}` : message.content
    else if (message.role === 'user') {
      turns.push({ text: message.content, question })
      open = ACKNOWLEDGEMENT.test(message.content) ? question : ''
      question = ''
    }
  }
  return turns
}

/** Words that say a later value replaces an earlier one in the same message. */
export const CORRECTION = /\b(actually|sorry|correction|instead|rather|i mean|typo|scratch that|new one|updated?)\b/i

/** Of several values found in one message: the first, unless the customer corrected themselves. */
export function pickInMessage<T>(found: readonly T[], text: string, position: (value: T) => number): T | undefined {
  if (found.length <= 1) return found[0]
  const first = found[0]!
  const correctedAfterFirst = CORRECTION.test(text.slice(position(first)))
  return correctedAfterFirst ? found.at(-1) : first
}

/** The newest customer message that yields a value wins. */
export function newestValue<T>(turns: readonly CustomerTurn[], find: (turn: CustomerTurn) => T | undefined): T | undefined {
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const value = find(turns[index]!)
    if (value !== undefined) return value
  }
  return undefined
}
