import { findNumbers, type CountryCode } from 'libphonenumber-js'
import { newestValue, pickInMessage, type CustomerTurn } from './customer-turns.js'

/** Numbers that follow these words are references, not phone numbers. */
const NOT_A_PHONE = /\b(order|account|acct|invoice|ticket|reference|ref|case|confirmation|tracking|serial|model|policy|member|booking|claim|zip|postcode|postal code|id)\b[^.!?\d]{0,16}$|#\s*$/i

export interface PhoneSpan {
  /** E.164, e.g. +15551234567. */
  e164: string
  start: number
  end: number
}

/** The phone numbers in a text, in order, with where they stand. */
export function phoneSpans(text: string, region: CountryCode): PhoneSpan[] {
  // "0044 20 ..." is how much of the world writes "+44 20 ..." (same length, so positions hold).
  const normalised = text.replace(/(^|[^\d+])00(?=[1-9][\d\s().-]{6,})/g, '$1 +')
  // 'POSSIBLE': right length for the region, whether or not the area code is assigned (555 numbers pass).
  const options = { defaultCountry: region, v2: true, leniency: 'POSSIBLE' } as { defaultCountry: CountryCode; v2: true }
  return findNumbers(normalised, options)
    .filter((found) => !NOT_A_PHONE.test(normalised.slice(Math.max(0, found.startsAt - 40), found.startsAt)))
    .map((found) => ({ e164: found.number.number, start: found.startsAt, end: found.endsAt }))
}

/** The customer's phone number in E.164 (`+15551234567`); numbers without a country code are read in `region`. */
export function findPhone(turns: readonly CustomerTurn[], region: CountryCode): string | undefined {
  return newestValue(turns, (turn) => pickInMessage(phoneSpans(turn.text, region), turn.text, (found) => found.start)?.e164)
}
