import type { CustomRedactionPattern, RedactionKind } from '@interlog/schema'
import { applyRule, profileOf, type Detector } from './detector.js'
import { nationalIdDetector } from './national-id.detector.js'
import { emailDetector, ipAddressDetector } from './network.detector.js'
import { creditCardDetector } from './payment.detector.js'
import { phoneDetector } from './phone.detector.js'
import { secretDetector } from './secret.detector.js'

export interface RedactionRules {
  kinds: RedactionKind[]
  custom_patterns: CustomRedactionPattern[]
  phone_default_country: string
}

/**
 * The order detectors run in: custom patterns see the text as written; secrets go before emails (a
 * URL password sits before an @); addresses, cards and ids before phones, whose digit runs they contain.
 */
const ORDER: RedactionKind[] = ['secret', 'email', 'ip_address', 'credit_card', 'national_id', 'phone']

/** The placeholder of a custom pattern: employee_id → [EMPLOYEE_ID]. */
export const customPlaceholder = (name: string) => `[${name.toUpperCase()}]`

/** Compiles a custom pattern; throws SyntaxError when it is not a valid regular expression. */
export const compileCustomPattern = (custom: CustomRedactionPattern): RegExp => new RegExp(custom.pattern, custom.case_insensitive ? 'gi' : 'g')

function customDetector(custom: CustomRedactionPattern): Detector {
  const rule = { pattern: compileCustomPattern(custom) }
  const placeholder = customPlaceholder(custom.name)
  return { applies: () => true, redact: (text) => applyRule(text, rule, placeholder) }
}

function builtIn(kind: RedactionKind, rules: RedactionRules): Detector {
  switch (kind) {
    case 'email':
      return emailDetector
    case 'phone':
      return phoneDetector(rules.phone_default_country)
    case 'credit_card':
      return creditCardDetector
    case 'national_id':
      return nationalIdDetector
    case 'ip_address':
      return ipAddressDetector
    case 'secret':
      return secretDetector
  }
}

/**
 * Replaces sensitive data in texts, and in every string of a JSON value, with typed placeholders.
 * Built once per tenant settings; `text` is cheap on texts with nothing to find.
 */
export class Redactor {
  private readonly detectors: Detector[]

  constructor(rules: RedactionRules) {
    this.detectors = [
      ...rules.custom_patterns.map(customDetector),
      ...ORDER.filter((kind) => rules.kinds.includes(kind)).map((kind) => builtIn(kind, rules)),
    ]
  }

  /** Whether there is anything to redact at all. */
  get active(): boolean {
    return this.detectors.length > 0
  }

  text(text: string): string {
    // The profile of the original text: a placeholder never adds digits, colons or an @.
    const profile = profileOf(text)
    let redacted = text
    for (const detector of this.detectors) {
      if (detector.applies(profile)) redacted = detector.redact(redacted, profile)
    }
    return redacted
  }

  /** Every string in the value, at any depth (object keys stay); the value itself is not changed. */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T
    if (Array.isArray(value)) return value.map((item: unknown) => this.value(item)) as T
    if (typeof value === 'object' && value !== null) {
      const redacted: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) redacted[key] = this.value(item)
      return redacted as T
    }
    return value
  }
}
