import { newestValue, pickInMessage, type CustomerTurn } from './customer-turns.js'

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g
/** "jane dot doe at example dot com", "jane(at)example.com": only where the customer talks about email. */
const SPELLED = /([A-Za-z0-9_%+-]+(?:(?:\s+dot\s+|\.)[A-Za-z0-9_%+-]+)*)\s*(?:\s+at\s+|\[at\]|\(at\)|\s+@\s+)\s*([A-Za-z0-9-]+(?:(?:\s+dot\s+|\[dot\]|\(dot\)|\.)[A-Za-z0-9-]+)+)/gi
const EMAIL_CUE = /e-?mail|address|inbox|\bmail\b|reach me|contact me|write (?:to )?me/i

export interface EmailSpan {
  email: string
  start: number
  end: number
}

const undot = (text: string) => text.replace(/\s+dot\s+|\[dot\]|\(dot\)/gi, '.')

/** The email addresses in a text (lower-cased), in order, with where they stand. */
export function emailSpans(text: string): EmailSpan[] {
  const found: EmailSpan[] = [...text.matchAll(EMAIL)].map((match) => ({ email: match[0], start: match.index, end: match.index + match[0].length }))
  if (found.length === 0 && EMAIL_CUE.test(text)) {
    for (const match of text.matchAll(SPELLED)) {
      const email = `${undot(match[1]!)}@${undot(match[2]!)}`
      if (/^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/.test(email)) found.push({ email, start: match.index, end: match.index + match[0].length })
    }
  }
  return found.map((item) => ({ ...item, email: item.email.replace(/\.+$/, '').toLowerCase() }))
}

/** The customer's email address, lower-cased; the newest one stated wins. */
export function findEmail(turns: readonly CustomerTurn[]): string | undefined {
  return newestValue(turns, (turn) => pickInMessage(emailSpans(turn.text), turn.text, (found) => found.start)?.email)
}
