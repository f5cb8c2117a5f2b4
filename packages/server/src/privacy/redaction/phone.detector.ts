import { REDACTION_PLACEHOLDERS } from '@interlog/schema'
import { findNumbers, isSupportedCountry, type CountryCode, type NumberFound } from 'libphonenumber-js/max'
import type { Detector } from './detector.js'

/**
 * Runs of at least 7 digits with short separators: the only places a phone number can be. A run glued
 * to a word or an id before it (req_48213377, INV-2024-000123) is part of that id.
 */
const CANDIDATE = /(?<![\p{L}\p{N}_-])\+?\(?\d(?:[ \t.\-/()]{0,3}\d){6,}/gu
/** Context given to libphonenumber around a candidate: a leading "+" or "(", a trailing "ext. 123". */
const BEFORE = 4
const AFTER = 16

/** Written the way people write phone numbers: an international prefix, or groups with separators. */
const FORMATTED = /^\+|\d[ .\-/()]+\d/

/** A number glued to a word or an id before it (INV-2024-000123) is part of that id. */
const GLUED = /[\p{L}\p{N}_-]/u

type FindOptions = { defaultCountry?: CountryCode; v2: true; leniency: 'POSSIBLE' }

export const isPhoneCountry = (code: string): boolean => isSupportedCountry(code)

/**
 * Phone numbers, found by libphonenumber (Google's phone metadata for every country) in the windows
 * around digit runs, so texts without one cost a single regex scan. Numbers with a +country code are
 * read in any country; others in the tenant's default country. A number of a possible length is
 * redacted when written like a phone number (+prefix or separated groups); a bare run of digits only
 * when it is a valid number of its country, so order ids and timestamps stay.
 */
export function phoneDetector(defaultCountry: string): Detector {
  const options: FindOptions = { v2: true, leniency: 'POSSIBLE' }
  if (isSupportedCountry(defaultCountry)) options.defaultCountry = defaultCountry
  const accept = (found: NumberFound, written: string) => FORMATTED.test(written) || found.number.isValid()
  return {
    applies: (profile) => profile.longestDigitRun >= 7,
    redact(text) {
      const spans: [number, number][] = []
      for (const [start, end] of windowsOf(text)) {
        const window = text.slice(start, end)
        for (const found of findNumbers(window, options as unknown as { v2: true }) as NumberFound[]) {
          const [from, to] = [start + found.startsAt, start + found.endsAt]
          if (!GLUED.test(text.slice(Math.max(0, from - 1), from)) && accept(found, text.slice(from, to))) spans.push([from, to])
        }
      }
      if (spans.length === 0) return text
      let redacted = ''
      let at = 0
      for (const [start, end] of spans) {
        if (start < at) continue
        redacted += text.slice(at, start) + REDACTION_PLACEHOLDERS.phone
        at = end
      }
      return redacted + text.slice(at)
    },
  }
}

/** The windows around the candidates, merged where they overlap, in text order. */
function windowsOf(text: string): [number, number][] {
  const windows: [number, number][] = []
  CANDIDATE.lastIndex = 0
  for (let match = CANDIDATE.exec(text); match !== null; match = CANDIDATE.exec(text)) {
    const start = Math.max(0, match.index - BEFORE)
    const end = Math.min(text.length, match.index + match[0].length + AFTER)
    const last = windows.at(-1)
    if (last && start <= last[1]) last[1] = end
    else windows.push([start, end])
  }
  return windows
}
