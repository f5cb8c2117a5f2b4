import nlp from 'compromise'
import type { CustomerTurn } from './customer-turns.js'
import { introducesName } from './names.js'

const GREETING = /^(?:(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day)|dear [\w ]+?)(?:\s+there)?(?:,?\s+(?:team|folks|all|support))?[,!.\s-]*)+/i
const PLEASANTRY = /^(?:thanks?(?: you)?(?: so much| very much)?|ok(?:ay)?|yes|yeah|yep|no|nope|sure|great|cool|perfect|sounds good|please|cheers|bye|goodbye)\b[\s,.!]*$/i
const GENERIC = /^(?:(?:i|we) (?:need|want|would like) (?:some )?(?:help|assistance|support)|(?:can|could) (?:you|someone|anyone) help(?: me| us)?|(?:i|we) have a (?:question|problem|issue|query)|please help(?: me)?|help)[\s,.!?]*$/i
const CONTACT = /@|\b(?:e-?mail|phone|number|cell|mobile|reach me|call me|text me|contact me)\b|\d{3}[\s.-]?\d{3,4}/i
const FILLER_START = /^(?:so|well|um+|uh+|and|but|also|oh)[,\s]+/i

function cleanup(text: string): string {
  const trimmed = text.replace(FILLER_START, '').replace(/[\s,;:-]+$/, '').replace(/[.!]+$/, '').trim()
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
}

/** A clause that only introduces the customer or gives contact details, or is a pleasantry. */
function isAside(clause: string): boolean {
  const text = clause.replace(GREETING, '').trim()
  return text === '' || PLEASANTRY.test(text) || introducesName(text) || CONTACT.test(text)
}

const wordCount = (text: string) => text.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length

/** The substance of one sentence: its clauses minus greetings, introductions and contact details. */
function substance(sentence: string): string {
  const clauses = (nlp(sentence.replace(GREETING, '')).clauses().out('array') as string[]).flatMap((clause) => clause.split(/[,;]\s*/))
  return cleanup(clauses.map((clause) => clause.trim()).filter((clause) => clause !== '' && !isAside(clause)).join(', '))
}

/**
 * The customer's main ask: the first substantive sentence they wrote, with greetings, introductions
 * and contact details cut out. A generic "I need help" counts only when nothing more specific follows.
 */
export function findMainAsk(turns: readonly CustomerTurn[]): string | undefined {
  let generic: string | undefined
  for (const turn of turns) {
    for (const sentence of nlp(turn.text).sentences().out('array') as string[]) {
      const text = substance(sentence)
      if (wordCount(text) < 2) continue
      if (GENERIC.test(text)) {
        generic ??= text
        continue
      }
      if (wordCount(text) >= 3 || /\?$/.test(sentence.trim())) return text
    }
  }
  return generic
}
