import nlp from 'compromise'
import { newestValue, type CustomerTurn } from './customer-turns.js'

/** Phrases after which the customer's own name follows. Strong ones may be followed by a lower-case name. */
const STRONG_LEADS = [/\bmy (?:full |first )?name(?:'s|’s| is|:| =)\s*/gi, /\bname(?:'s|’s| is)?\s*[:=–-]\s*/gi, /\b(?:you can |u can )?call me\s+/gi, /\bthe name(?:'s|’s| is)\s+/gi]
const WEAK_LEADS = [/\b(?:i am|i'm|i’m|im)\s+/gi, /\bthis is\s+/gi, /\b(?:it's|it’s|it is)\s+/gi]
const TRAILING = [/(?:^|[.!?]\s+|^(?:hi|hello|hey)[,!]?\s+)([\p{L}'’ .-]{2,40}?)\s+(?:here|speaking)\b/giu]
const SIGN_OFF = /(?:thanks|thank you|thx|regards|best|cheers|sincerely|warmly|kind regards|best wishes)[,!.]?\s+([\p{L}'’ .-]{2,40}?)[.!]?\s*$/iu
const DASH_SIGNATURE = /(?:^|\n|\s)[-–—~]\s*([\p{L}'’ .-]{2,40}?)\s*$/u
const ASKS_FOR_NAME = /\bname\b|who am i speaking|who is this|who's this/i
/** Polite openers before a bare answer ("Sure, John Smith"). */
const OPENER = /^(?:(?:sure|yes|yeah|yep|ok|okay|of course|certainly|absolutely|hi|hello|hey|it's|it’s|it is|that's|that’s|that would be|that'd be)\b[,!.]?\s*)+/i

const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam)\.?$/i
const PARTICLES = new Set(['de', 'van', 'von', 'der', 'den', 'da', 'del', 'della', 'di', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'dos', 'das', 'y'])
/** Capitalised words that start sentences or follow "I'm" but are no names. */
const NOT_NAMES = new Set(
  `a an the and or but so just not very really also still here there back new now sorry calling writing looking having trying hoping getting
   going wondering reaching contacting interested unable able afraid glad happy sure fine good great okay ok ready available currently always
   never already only from with in on at to for about regarding re your our my this that these those it its please thanks thank hello hi hey
   yes no customer client member owner tenant landlord homeowner manager calling emailing texting following checking still stuck locked out
   monday tuesday wednesday thursday friday saturday sunday january february march april june july august september october november december
   today tomorrow tonight morning afternoon evening home work office downstairs upstairs outside inside urgent frustrated confused new old`.split(/\s+/),
)
const NAME_WORD = /^[\p{L}][\p{L}'’-]*$/u

function titleCase(word: string): string {
  const hasInnerCapital = /\p{Ll}/u.test(word) && /\p{Lu}/u.test(word.slice(1))
  if (hasInnerCapital) return word // McDonald, DeShawn
  return word.toLowerCase().replace(/(^|['’-])(\p{L})/gu, (_match, lead: string, letter: string) => lead + letter.toUpperCase())
}

const isCapitalised = (word: string) => /^\p{Lu}/u.test(word)

/** Does the NLP lexicon know this word as something other than a name? */
function ordinaryWord(word: string): boolean {
  const doc = nlp(word)
  if (doc.has('#Person') || doc.has('#FirstName') || doc.has('#LastName')) return false
  return doc.has('#Verb') || doc.has('#Adjective') || doc.has('#Adverb') || doc.has('#Determiner') || doc.has('#Preposition') || doc.has('#Conjunction') || doc.has('#Pronoun') || doc.has('#Value') || doc.has('#Date')
}

function knownPerson(word: string): boolean {
  const doc = nlp(word)
  return doc.has('#FirstName') || doc.has('#Person')
}

/**
 * Reads a name from the start of `text`: one to four name words (particles allowed inside), stopping
 * at punctuation or the first word that is not part of a name. `lenient` accepts lower-case words
 * (after "my name is", or as the answer to "what is your name?").
 */
function readName(text: string, lenient: boolean): string | undefined {
  const words: string[] = []
  for (const raw of text.trim().split(/\s+/)) {
    const word = raw.replace(/[,.;:!?)"”]+$/, '')
    const endsHere = word !== raw
    if (words.length === 0 && TITLES.test(word)) continue
    if (!NAME_WORD.test(word) || word.length > 30) break
    const lower = word.toLowerCase()
    const particle = words.length > 0 && PARTICLES.has(lower)
    if (!particle) {
      if (NOT_NAMES.has(lower)) break
      if (!isCapitalised(word) && !lenient) break
    }
    words.push(word)
    if (endsHere || words.length === 4) break
  }
  while (words.length > 0 && PARTICLES.has(words.at(-1)!.toLowerCase())) words.pop()
  if (words.length === 0) return undefined
  const first = words[0]!
  if (words.length === 1 && ordinaryWord(first) && !knownPerson(first)) return undefined
  // A lower-case single word that the lexicon does not know as a name is too weak a guess.
  if (words.length === 1 && !isCapitalised(first) && !knownPerson(first) && !lenient) return undefined
  return words.map(titleCase).join(' ')
}

function afterLeads(text: string, leads: RegExp[], lenient: (text: string) => boolean): string | undefined {
  const hits: { at: number; name: string }[] = []
  for (const lead of leads) {
    for (const match of text.matchAll(lead)) {
      const rest = text.slice(match.index + match[0].length)
      const name = readName(rest, lenient(rest))
      if (name) hits.push({ at: match.index, name })
    }
  }
  return hits.sort((a, b) => a.at - b.at)[0]?.name
}

/** In a message written all in lower case, capitals are no clue, so the lexicon decides. */
const lowerCaseNameAllowed = (text: string) => (rest: string) => !/\p{Lu}/u.test(text) && knownPerson(rest.split(/[\s,.!?]+/)[0] ?? '')

function nameIn(turn: CustomerTurn): string | undefined {
  const { text } = turn
  const strong = afterLeads(text, STRONG_LEADS, () => true)
  if (strong) return strong
  const weak = afterLeads(text, WEAK_LEADS, lowerCaseNameAllowed(text))
  if (weak) return weak
  for (const pattern of TRAILING) {
    for (const match of text.matchAll(pattern)) {
      const name = readName(match[1]!, false)
      if (name && name.split(' ').length === match[1]!.trim().split(/\s+/).length) return name
    }
  }
  for (const pattern of [SIGN_OFF, DASH_SIGNATURE]) {
    const match = pattern.exec(text.trim())
    const name = match && readName(match[1]!, false)
    if (name && name.split(' ').length === match[1]!.trim().split(/\s+/).length) return name
  }
  if (ASKS_FOR_NAME.test(turn.question)) {
    const answer = text.trim().replace(OPENER, '')
    const firstPart = answer.split(/[,;.!?\n]|\s+and\s+|\s+-\s+/)[0] ?? ''
    if (firstPart.trim().split(/\s+/).length <= 4) return readName(firstPart, true)
  }
  return undefined
}

/** Whether a clause introduces the customer ("I'm John Smith", "my name is Ana"). */
export function introducesName(clause: string): boolean {
  return afterLeads(clause, STRONG_LEADS, () => true) !== undefined || afterLeads(clause, WEAK_LEADS, lowerCaseNameAllowed(clause)) !== undefined
}

/** The customer's own name, title-cased; the newest message that states one wins. */
export function findName(turns: readonly CustomerTurn[]): string | undefined {
  return newestValue(turns, nameIn)
}
