import { REDACTION_PLACEHOLDERS } from '@interlog/schema'
import { luhnValid } from './checksums.js'
import { patternDetector, type Detector } from './detector.js'

/** Issuer prefixes of the card networks: Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Diners 30/36/38/39, JCB 35, Discover/UnionPay/Maestro 5x/6x. */
const CARD_PREFIX = /^(?:4|5|6|3[0456789]|2(?:2[2-9]|[3-6]|7[0-2]))/

const isCardNumber = (match: string) => {
  const digits = match.replace(/[ -]/g, '')
  return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhnValid(digits)
}

/**
 * Payment card numbers: 13 to 19 digits, written together or in the printed groups (4-4-4-4…,
 * Amex 4-6-5, Diners 4-6-4) with spaces or dashes, starting with a card network's prefix and passing
 * the Luhn check, so order numbers and other long numbers stay.
 */
export const creditCardDetector: Detector = patternDetector({
  placeholder: REDACTION_PLACEHOLDERS.credit_card,
  applies: (profile) => profile.longestDigitRun >= 13,
  rules: [
    { pattern: /(?<![\d-])\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}(?![\d-])/g, accept: isCardNumber },
    { pattern: /(?<![\d-])\d{4}([ -])\d{6}\1\d{4,5}(?![\d-])/g, accept: isCardNumber },
    { pattern: /(?<!\d)\d{13,19}(?!\d)/g, accept: isCardNumber },
  ],
})
