/** What one pass over a text found, so detectors that cannot match skip their regular expressions. */
export interface TextProfile {
  digits: number
  /** Digits in the longest run of digits with short separators between them (" ", ".", "-", "/", "(", ")"). */
  longestDigitRun: number
  dots: number
  colons: number
  at: boolean
}

const NOTHING: TextProfile = { digits: 0, longestDigitRun: 0, dots: 0, colons: 0, at: false }
const SIGNAL = /[\d@:]/
const DIGIT_RUN = /\d(?:[ .\-/()]{0,3}\d)*/g

/** Up to `max` occurrences of a character. */
function countUpTo(text: string, char: string, max: number): number {
  let count = 0
  for (let at = text.indexOf(char); at >= 0 && count < max; at = text.indexOf(char, at + 1)) count++
  return count
}

/** Built from regular-expression scans and indexOf, which V8 runs several times faster than a loop over the characters. */
export function profileOf(text: string): TextProfile {
  if (!SIGNAL.test(text)) return NOTHING
  const profile: TextProfile = { digits: 0, longestDigitRun: 0, dots: countUpTo(text, '.', 3), colons: countUpTo(text, ':', 2), at: text.includes('@') }
  DIGIT_RUN.lastIndex = 0
  for (let match = DIGIT_RUN.exec(text); match !== null; match = DIGIT_RUN.exec(text)) {
    const run = match[0]
    let digits = run.length
    if (digits > 1) for (let i = 0; i < run.length; i++) if (run.charCodeAt(i) < 48 || run.charCodeAt(i) > 57) digits--
    profile.digits += digits
    if (digits > profile.longestDigitRun) profile.longestDigitRun = digits
  }
  return profile
}

/** Finds one kind of sensitive data in a text and replaces each find with a placeholder. */
export interface Detector {
  /** False when the text cannot hold a match (too few digits, no @...). */
  applies(profile: TextProfile): boolean
  redact(text: string, profile: TextProfile): string
}

/** Where a match sits, for rules that look at what surrounds it. */
export interface MatchContext {
  text: string
  offset: number
  groups: Record<string, string | undefined>
}

export interface PatternRule {
  /** Global regular expression of the candidates. */
  pattern: RegExp
  /** A cheap test (a literal the match always contains): the rule runs only on texts that pass it. */
  mayContain?: RegExp
  /** Like `mayContain`, from the text's profile. */
  applies?: (profile: TextProfile) => boolean
  /** Whether a candidate really is one (a checksum, a valid range, its context); default: every candidate. */
  accept?: (match: string, context: MatchContext) => boolean
  /** What replaces an accepted match (to keep a label such as "Bearer "); default: the placeholder. */
  replace?: (match: string, context: MatchContext, placeholder: string) => string
}

const NO_GROUPS: Record<string, string | undefined> = {}

/** Applies one rule; the callback runs on candidates only, so a text without any costs one regex scan. */
export function applyRule(text: string, rule: PatternRule, placeholder: string): string {
  return text.replace(rule.pattern, (match: string, ...args: unknown[]) => {
    const last = args.at(-1)
    const hasGroups = typeof last === 'object' && last !== null
    const offset = args.at(hasGroups ? -3 : -2) as number
    const context: MatchContext = { text, offset, groups: hasGroups ? (last as Record<string, string | undefined>) : NO_GROUPS }
    if (rule.accept && !rule.accept(match, context)) return match
    return rule.replace ? rule.replace(match, context, placeholder) : placeholder
  })
}

const mayMatch = (rule: PatternRule, text: string, profile: TextProfile) =>
  (!rule.applies || rule.applies(profile)) && (!rule.mayContain || rule.mayContain.test(text))

/**
 * A detector made of regular-expression rules applied in order. `mayContain` is one scan that any
 * match of any rule passes, so most texts skip every rule.
 */
export function patternDetector(options: {
  placeholder: string
  rules: PatternRule[]
  applies: (profile: TextProfile) => boolean
  mayContain?: RegExp
}): Detector {
  const { placeholder, rules, applies, mayContain } = options
  return {
    applies,
    redact(text, profile) {
      if (mayContain && !mayContain.test(text)) return text
      let redacted = text
      // The tests look at the original text: a placeholder never brings a match in.
      for (const rule of rules) if (mayMatch(rule, text, profile)) redacted = applyRule(redacted, rule, placeholder)
      return redacted
    },
  }
}

/** Keeps a leading label (group `keep`) and replaces the rest: "Bearer abc…" → "Bearer [SECRET]". */
export const keepLabel = (_match: string, context: MatchContext, placeholder: string) => `${context.groups.keep ?? ''}${placeholder}`
