import { findNumbers, type CountryCode, type PhoneNumber } from 'libphonenumber-js'
import { newestValue, pickInMessage, type CustomerTurn } from './customer-turns.js'

/** Numbers that follow these words are references, not phone numbers. */
const NOT_A_PHONE = /\b(order|account|acct|invoice|ticket|reference|ref|case|confirmation|tracking|serial|model|policy|member|booking|claim|zip|postcode|postal code|id)\b[^.!?\d]{0,16}$|#\s*$/i

interface Found {
  number: PhoneNumber
  at: number
}

function phonesIn(text: string, region: CountryCode): Found[] {
  // "0044 20 ..." is how much of the world writes "+44 20 ...".
  const normalised = text.replace(/(^|[^\d+])00(?=[1-9]\d{6})/g, '$1+')
  // 'POSSIBLE': right length for the region, whether or not the area code is assigned (555 numbers pass).
  const options = { defaultCountry: region, v2: true, leniency: 'POSSIBLE' } as { defaultCountry: CountryCode; v2: true }
  return findNumbers(normalised, options)
    .filter((found) => !NOT_A_PHONE.test(normalised.slice(Math.max(0, found.startsAt - 40), found.startsAt)))
    .map((found) => ({ number: found.number, at: found.startsAt }))
}

/** The customer's phone number in E.164 (`+15551234567`); numbers without a country code are read in `region`. */
export function findPhone(turns: readonly CustomerTurn[], region: CountryCode): string | undefined {
  return newestValue(turns, (turn) => pickInMessage(phonesIn(turn.text, region), turn.text, (found) => found.at)?.number.number)
}
