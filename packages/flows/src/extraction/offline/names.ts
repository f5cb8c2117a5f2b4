import { nlp } from './nlp.js'
import { newestValue, type CustomerTurn } from './customer-turns.js'

/** Phrases after which the customer's own name follows. Strong ones may be followed by a lower-case name. */
const STRONG_LEADS = [
  /\bmy (?:full |first )?name(?:'s|’s| is|:| =)\s*/gi,
  /\bname(?:'s|’s| is)?\s*[:=–-]\s*/gi,
  /\b(?:you can |u can )?call me\s+/gi,
  /\bthe name(?:'s|’s| is)\s+/gi,
  /\b(?:me llamo|mi nombre es|je m'appelle|je m’appelle|ich heiße|ich heisse|mi chiamo|meu nome é)\s+/gi,
]
const WEAK_LEADS = [/\b(?:i am|i'm|i’m|im)\s+/gi, /\bthis is\s+/gi, /\b(?:it's|it’s|it is|its)\s+/gi]
const TRAILING = /(?:^|[.!?,;]\s+|^(?:hi|hello|hey)[,!]?\s+)([\p{L}'’ .-]{2,40}?)\s+(?:here|speaking)\b/giu
const SIGN_OFF = /(?:thanks|thank you|thx|regards|best|cheers|sincerely|warmly|kind regards|best wishes)[,!.]?\s+([\p{L}'’ .-]{2,40}?)[.!]?\s*$/iu
const DASH_SIGNATURE = /(?:^|\n|\s)[-–—~]\s*([\p{L}'’ .-]{2,40}?)\s*$/u
const ASKS_FOR_NAME = /\bname\b(?!@)|who am i (?:speaking|talking) (?:to|with)|who is this|who's this|who are you/i
/** Polite openers before a bare answer ("Sure, John Smith"). */
const OPENER = /^(?:(?:sure|yes|yeah|yep|ok|okay|of course|certainly|absolutely|hi|hello|hey|it's|it’s|it is|its|that's|that’s|that would be|that'd be|just)\b[,!.]?\s*)+/i

const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam)\.?$/i
const PARTICLES = new Set(['de', 'van', 'von', 'der', 'den', 'da', 'del', 'della', 'di', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'dos', 'das', 'y'])
/** Capitalised words that start sentences or follow "I'm" but are no names. */
const NOT_NAMES = new Set(
  `a an the and or but so just not very really also still here there back new now sorry calling writing looking having trying hoping getting
   going wondering reaching contacting interested unable able afraid glad happy sure fine good great okay ok ready available currently always
   never already only from with in on at to for about regarding re your our my this that these those it its please thanks thank hello hi hey
   yes no customer client member owner tenant landlord homeowner manager calling emailing texting following checking still stuck locked out
   monday tuesday wednesday thursday friday saturday sunday january february march april june july august september october november december
   today tomorrow tonight morning afternoon evening home work office downstairs upstairs outside inside urgent frustrated confused new old
   btw phone email number cell mobile`.split(/\s+/),
)
const NAME_WORD = /^[\p{L}][\p{L}'’-]*$/u

/** A name found in a text, and the span of the introduction that stated it. */
export interface NameSpan {
  name: string
  start: number
  end: number
}

function titleCase(word: string, inside: boolean): string {
  if (inside && PARTICLES.has(word.toLowerCase())) return word.toLowerCase()
  const hasInnerCapital = /\p{Ll}/u.test(word) && /\p{Lu}/u.test(word.slice(1))
  if (hasInnerCapital) return word // McDonald, DeShawn
  return word.toLowerCase().replace(/(^|['’-])(\p{L})/gu, (_match, lead: string, letter: string) => lead + letter.toUpperCase())
}

const isCapitalised = (word: string) => /^\p{Lu}/u.test(word)

/** Does the NLP lexicon know this word as something other than a name? */
function ordinaryWord(word: string): boolean {
  const doc = nlp(word)
  if (doc.has('#Person') || doc.has('#FirstName') || doc.has('#LastName')) return false
  return ['#Verb', '#Adjective', '#Adverb', '#Determiner', '#Preposition', '#Conjunction', '#Pronoun', '#Value', '#Date'].some((tag) => doc.has(tag))
}

function knownPerson(word: string): boolean {
  const doc = nlp(word)
  return doc.has('#FirstName') || doc.has('#Person')
}

/**
 * Reads a name from the start of `text`: one to four name words (particles allowed inside), stopping at
 * punctuation, a line break or the first word that is not part of a name. `lenient` accepts lower-case
 * words (after "my name is", or as the answer to "what is your name?"). Answers the name and how many
 * characters of `text` it used.
 */
function readName(text: string, lenient: boolean): { name: string; length: number } | undefined {
  const words: string[] = []
  let length = 0
  const line = text.split('\n')[0]!
  for (const match of line.matchAll(/\S+/g)) {
    const raw = match[0]
    const word = raw.replace(/[,.;:!?)"”]+$/, '')
    if (words.length === 0 && TITLES.test(word)) continue
    const initial = /^\p{Lu}\.$/u.test(raw) && words.length < 3
    if (initial) {
      words.push(raw)
      length = match.index + raw.length
      continue
    }
    if (!NAME_WORD.test(word) || word.length > 30) break
    const lower = word.toLowerCase()
    const particle = words.length > 0 && PARTICLES.has(lower)
    if (!particle && (NOT_NAMES.has(lower) || (!isCapitalised(word) && !lenient))) break
    words.push(word)
    length = match.index + word.length
    if (word !== raw || words.length === 4) break
  }
  while (words.length > 0 && PARTICLES.has(words.at(-1)!.toLowerCase())) words.pop()
  const first = words[0]
  if (first === undefined) return undefined
  const single = words.length === 1
  if ((single || lenient) && ordinaryWord(first) && !knownPerson(first)) return undefined
  // A lower-case single word that the lexicon does not know as a name is too weak a guess.
  if (single && !isCapitalised(first) && !knownPerson(first) && !lenient) return undefined
  return { name: words.map((word, index) => titleCase(word, index > 0)).join(' '), length }
}

/** In a message written all in lower case (or all in capitals), case is no clue, so the lexicon decides. */
const caseIsNoClue = (text: string) => !/\p{Lu}/u.test(text) || !/\p{Ll}/u.test(text)
const lexiconNameFollows = (text: string) => (rest: string) => caseIsNoClue(text) && knownPerson(rest.split(/[\s,.!?]+/)[0] ?? '')

/** Every "lead + name" introduction in the text, in order. */
function introductions(text: string): NameSpan[] {
  const spans: NameSpan[] = []
  const collect = (leads: RegExp[], lenient: (rest: string) => boolean) => {
    for (const lead of leads) {
      for (const match of text.matchAll(lead)) {
        const restStart = match.index + match[0].length
        const rest = text.slice(restStart)
        const found = readName(rest, lenient(rest))
        if (found) spans.push({ name: found.name, start: match.index, end: restStart + found.length })
      }
    }
  }
  collect(STRONG_LEADS, () => true)
  const strong = spans.length
  collect(WEAK_LEADS, lexiconNameFollows(text))
  // Strong introductions first, the fullest name first ("me llamo Diego. My name is Diego Ramírez"), then by position.
  const order = (a: NameSpan, b: NameSpan) => b.name.split(' ').length - a.name.split(' ').length || a.start - b.start
  return [...spans.slice(0, strong).sort(order), ...spans.slice(strong).sort(order)]
}

/** "Marta here", "Thanks, Robert Kowalski", "- Dana": the whole captured phrase must be a name. */
function signedName(text: string): NameSpan | undefined {
  const whole = (match: RegExpExecArray | RegExpMatchArray | null): NameSpan | undefined => {
    if (!match) return undefined
    const found = readName(match[1]!, caseIsNoClue(text))
    const start = match.index! + match[0].indexOf(match[1]!)
    return found && found.length === match[1]!.trim().length ? { name: found.name, start, end: start + found.length } : undefined
  }
  for (const match of text.matchAll(TRAILING)) {
    const span = whole(match)
    if (span) return span
  }
  // A sign-off may be followed by contact lines ("Best,\nKaren Mills\n(503) 555-0104").
  const body = text.trimEnd().replace(/(?:\n[^\n\p{L}]*(?:[\d@][^\n]*)?)+$/u, '')
  return whole(SIGN_OFF.exec(body)) ?? whole(DASH_SIGNATURE.exec(body))
}

/** The spans of a message where the customer states their name, for cutting them out of the main ask. */
export function nameSpans(text: string): NameSpan[] {
  const signed = signedName(text)
  return [...introductions(text), ...(signed ? [signed] : [])]
}

function nameIn(turn: CustomerTurn): string | undefined {
  const stated = introductions(turn.text)[0] ?? signedName(turn.text)
  return stated ? stated.name : bareName(turn)
}

/** A name given as the bare answer to "what is your name?" ("Sure, Ana Lima"). */
export function bareName(turn: CustomerTurn): string | undefined {
  if (!ASKS_FOR_NAME.test(turn.question)) return undefined
  const answer = turn.text.trim().replace(OPENER, '')
  // Split at the end of a sentence, but not after an initial ("J. Robert").
  const firstPart = answer.split(/[,;!?\n]|(?<!(?:^|\s)\p{Lu})\.(?:\s|$)|\s+and\s+|\s+-\s+/u)[0] ?? ''
  if (/[@\d]/.test(firstPart) || firstPart.trim().split(/\s+/).length > 4) return undefined
  return readName(firstPart, true)?.name
}

const ASKS_FOR_LAST_NAME = /\b(?:last|family|sur)[ -]?name\b|\bsurname\b/i

/**
 * The customer's own name, title-cased; the newest message that states one wins. A last name given
 * on its own, after a first name, joins it ("Rahul" … "Mehta" → "Rahul Mehta").
 */
export function findName(turns: readonly CustomerTurn[]): string | undefined {
  let at = turns.length - 1
  while (at >= 0 && nameIn(turns[at]!) === undefined) at -= 1
  const newest = at >= 0 ? nameIn(turns[at]!) : undefined
  if (newest === undefined || newest.includes(' ') || !ASKS_FOR_LAST_NAME.test(turns[at]!.question)) return newest
  const first = newestValue(turns.slice(0, at), nameIn)
  return first !== undefined && !first.includes(' ') ? `${first} ${newest}` : newest
}
