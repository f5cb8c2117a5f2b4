import type { CountryCode } from 'libphonenumber-js'
import { nlp } from './nlp.js'
import type { CustomerTurn } from './customer-turns.js'
import { emailSpans } from './emails.js'
import { bareName, nameSpans } from './names.js'
import { phoneSpans } from './phones.js'

const GREETING = /^(?:(?:hi+|hel+o+|he+y+|hiya|howdy|greetings|hola|bonjour|good (?:morning|afternoon|evening|day)|dear (?:sir or madam|sir|madam|team|all|\p{L}+))(?:\s+there)?(?:,?\s+(?:team|folks|all|support))?[\s,!.:;-]*)+/iu
const PLEASANTRY = /^(?:(?:thanks?|thank you|thx)\b.*|(?:(?:ok(?:ay)?|yes|yeah|yep|no|nope|sure|great|cool|perfect|sounds good|please|cheers|bye|goodbye|btw|thanks?)\b[\s,.!]*)+)$/i
const GENERIC = /^(?:(?:i|we) (?:need|want|would like) (?:some )?(?:help|assistance|support)|(?:can|could) (?:you|someone|anyone) help(?: me| us)?|(?:i|we) have a (?:question|problem|issue|query)|please help(?: me)?|help)[\s,.!?]*$/i
/** What is left of "my number is 555…" or "Phone: …" once the number is cut out. */
const DANGLING_CONTACT =
  /\b(?:(?:you can |u can )?(?:call|reach|text|contact|email|e-mail) (?:me|us)(?: back)?(?: at| on)?|my (?:cell|cell phone|mobile|phone|number|email|e-mail|office line)(?: number| address)?(?: is)?|(?:office line|number|phone|email|e-mail|tel|cell|mobile|name)(?: is)?\s*:?)(?=\s*(?:[,.;!?]|$|\s{2}))/gi
/** "Issue: the front door lock is jammed" */
const LABELLED = /^\s*(?:issue|problem|request|reason|question|subject|topic|details?|description|ask)\s*[:–-]\s*(.+)$/im
/** A sentence left ending in "to", "at"... once its contact details are cut: "send it to <email>". */
const DANGLING_END = /\b(?:to|at|on|via|under|is)\s*[<(\[]?\s*[>)\]]?\s*$/i
const FILLER_START = /^(?:so|well|um+|uh+|and|but|also|oh|btw)[,\s]+/i

function cleanup(text: string): string {
  const trimmed = text.replace(/[<([]\s*[>)\]]/g, ' ').replace(/\s{2,}/g, ' ').replace(FILLER_START, '').replace(/[\s,;:-]+$/, '').replace(/[.!]+$/, '').trim()
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
}

const CONTACT_TALK = /\b(?:e-?mail|phone|number|cell|mobile|reach|call|text|contact|address|use)\b/i

/** The text with the customer's name introductions, phone numbers and emails blanked out. */
function withoutPersonalData(text: string, region: CountryCode): { text: string; contactTalk: boolean } {
  const contacts = [...phoneSpans(text, region), ...emailSpans(text)]
  let out = text
  for (const span of [...nameSpans(text), ...contacts]) out = out.slice(0, span.start) + ' '.repeat(span.end - span.start) + out.slice(span.end)
  out = out.replace(DANGLING_CONTACT, ' ')
  return { text: out, contactTalk: contacts.length > 0 && CONTACT_TALK.test(out) }
}

const wordCount = (text: string) => text.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length

/**
 * The substance of one sentence: its clauses minus greetings, pleasantries, introductions and contact
 * details. `aside`: it is still about contact details, or about other people ("my husband David
 * called"): context rather than the ask, used only when nothing better follows.
 */
function substance(sentence: string, region: CountryCode): { text: string; aside: boolean } {
  const cut = withoutPersonalData(sentence.replace(GREETING, ''), region)
  const doc = nlp(cut.text)
  const clauses = (doc.clauses().out('array') as string[]).flatMap((clause) => clause.split(/[,;]\s*/))
  const kept = clauses.map((clause) => clause.replace(GREETING, '').trim()).filter((clause) => wordCount(clause) > 0 && !PLEASANTRY.test(clause))
  const text = cleanup(kept.join(', '))
  return { text, aside: cut.contactTalk || doc.people().found || GENERIC.test(text) || DANGLING_END.test(text) }
}

/**
 * The customer's main ask: the first substantive sentence they wrote, with greetings, introductions and
 * contact details cut out (a labelled "Issue: …" line wins). A generic "I need help", what is left of
 * "send it to <email>", or a sentence about other people counts only when nothing more specific follows.
 */
export function findMainAsk(turns: readonly CustomerTurn[], region: CountryCode): string | undefined {
  for (const turn of turns) {
    const labelled = LABELLED.exec(turn.text)
    if (labelled) return cleanup(labelled[1]!)
  }
  const fallbacks: string[] = []
  for (const turn of turns) {
    if (bareName(turn)) continue
    const sentences = turn.text.split(/\n+/).flatMap((line) => nlp(line).sentences().out('array') as string[])
    for (const sentence of sentences) {
      const { text, aside } = substance(sentence, region)
      if (wordCount(text) < (aside ? 3 : 2)) continue
      if (aside) {
        fallbacks.push(text)
        continue
      }
      if (wordCount(text) >= 3 || /\?$/.test(sentence.trim())) return text
    }
  }
  // Of the asides, the fullest says most; failing those, a terse first message ("FLOODING!! basement!").
  const terse = turns
    .filter((turn) => !bareName(turn) && phoneSpans(turn.text, region).length === 0 && emailSpans(turn.text).length === 0)
    .map((turn) => substance(turn.text, region).text)
    .find((text) => wordCount(text) > 0)
  return fallbacks.sort((a, b) => wordCount(b) - wordCount(a))[0] ?? terse
}
