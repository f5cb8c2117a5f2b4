import { REDACTION_PLACEHOLDERS } from '@interlog/schema'
import { luhnValid, spanishIdValid, verhoeffValid } from './checksums.js'
import { keepLabel, patternDetector, type Detector } from './detector.js'

const digitsOf = (match: string) => match.replace(/\D/g, '')

/**
 * National identity numbers, in the formats people write them:
 * - US Social Security number: 123-45-6789 or 123 45 6789 (not area 000, 666 or 9xx, group 00 or
 *   serial 0000), and nine digits straight after "SSN" or "social security number";
 * - UK National Insurance number: AB 12 34 56 C (valid prefix letters only);
 * - Canadian Social Insurance number: 123-456-789 or 123 456 789, passing the Luhn check;
 * - Spanish DNI (12345678Z) and NIE (X1234567L), with the right check letter;
 * - Italian codice fiscale: RSSMRA85T10A562S;
 * - Indian Aadhaar: 2345 6789 0123 (grouped, first digit 2-9), passing the Verhoeff check.
 */
export const nationalIdDetector: Detector = patternDetector({
  placeholder: REDACTION_PLACEHOLDERS.national_id,
  applies: (profile) => profile.digits >= 6,
  rules: [
    { pattern: /(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])/g },
    { pattern: /(?<keep>\b(?:SSN|social security (?:number|no\.?|#))\s*(?:#|:|is)?\s*)\d{9}(?!\d)/gi, replace: keepLabel },
    { pattern: /\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g },
    { pattern: /(?<![\d-])[1-79]\d{2}([- ])\d{3}\1\d{3}(?![\d-])/g, accept: (match) => luhnValid(digitsOf(match)) },
    { pattern: /\b(?:\d{8}|[XYZ]-?\d{7})-?[A-Z]\b/gi, accept: spanishIdValid },
    { pattern: /\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b/g },
    { pattern: /(?<![\d-])[2-9]\d{3}([ -])\d{4}\1\d{4}(?![\d-])/g, accept: (match) => verhoeffValid(digitsOf(match)) },
  ],
})
