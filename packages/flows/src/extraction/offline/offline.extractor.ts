import type { CountryCode } from 'libphonenumber-js'
import type { ExtractionOutcome, ExtractionRequest, Extractor } from '../extractor.js'
import { customerTurns, type CustomerTurn } from './customer-turns.js'
import { findEmail } from './emails.js'
import { fieldKind, type FieldKind } from './field-kinds.js'
import { findMainAsk } from './main-ask.js'
import { findName } from './names.js'
import { findPhone } from './phones.js'

export interface OfflineExtractorOptions {
  /** Country of phone numbers written without a country code. Default `US`. */
  defaultRegion?: CountryCode
}

/**
 * Extraction with no model: emails, phone numbers (parsed and normalised to E.164 by libphonenumber-js),
 * the customer's name (self-introductions, sign-offs and answers to "what is your name?", checked
 * against the compromise lexicon) and the main ask (the first substantive sentence). It reads the
 * customer's messages only. Fields of other kinds are left empty (the LLM engine handles anything).
 */
export class OfflineExtractor implements Extractor {
  readonly engine = 'offline' as const
  private readonly region: CountryCode

  constructor(options: OfflineExtractorOptions = {}) {
    this.region = options.defaultRegion ?? 'US'
  }

  async extract(request: ExtractionRequest): Promise<ExtractionOutcome> {
    const turns = customerTurns(request.messages)
    const found = new Map<FieldKind, string | undefined>()
    const values: Record<string, string> = {}
    for (const [name, description] of Object.entries(request.fields)) {
      const kind = fieldKind(name, description)
      if (!kind) continue
      if (!found.has(kind)) found.set(kind, this.find(kind, turns))
      const value = found.get(kind)
      if (value !== undefined) values[name] = value
    }
    return { values, engine: this.engine }
  }

  /** Whether this engine can fill a field at all. */
  supports(name: string, description: string): boolean {
    return fieldKind(name, description) !== undefined
  }

  private find(kind: FieldKind, turns: CustomerTurn[]): string | undefined {
    switch (kind) {
      case 'email':
        return findEmail(turns)
      case 'phone':
        return findPhone(turns, this.region)
      case 'main_ask':
        return findMainAsk(turns, this.region)
      case 'full_name':
        return findName(turns)
      case 'first_name':
        return findName(turns)?.split(' ')[0]
      case 'last_name': {
        const parts = findName(turns)?.split(' ') ?? []
        return parts.length > 1 ? parts.at(-1) : undefined
      }
    }
  }
}
