import { isIPv6 } from 'node:net'
import { REDACTION_PLACEHOLDERS } from '@interlog/schema'
import { patternDetector, type Detector } from './detector.js'

/**
 * Email addresses: a local part, @, and a domain with a dot and a top-level label of letters
 * (international letters included).
 */
export const emailDetector: Detector = patternDetector({
  placeholder: REDACTION_PLACEHOLDERS.email,
  applies: (profile) => profile.at,
  rules: [{ pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu }],
})

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'

/** A dotted quad right after "version" or "v" is a version number, not an address. */
const VERSION_BEFORE = /(?:\bversion|\bver\.?|\brelease)\s*$/i

/**
 * IP addresses. IPv4: four octets of 0-255, not part of a longer dotted number. IPv6: candidates of
 * hex groups and colons holding a digit, kept only when node:net accepts them as IPv6 (so times like
 * 10:30:00 and MAC addresses stay).
 */
export const ipAddressDetector: Detector = patternDetector({
  placeholder: REDACTION_PLACEHOLDERS.ip_address,
  applies: (profile) => profile.digits > 0 && (profile.colons >= 2 || profile.dots >= 3),
  rules: [
    {
      pattern: /(?<![\w:.])(?=[0-9A-Fa-f:.]*\d)(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%[\w.]+)?(?![\w:])/g,
      applies: (profile) => profile.colons >= 2,
      accept: (match) => isIPv6(match.replace(/%.*$/, '')),
    },
    {
      applies: (profile) => profile.dots >= 3,
      pattern: new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?!\\w|\\.\\d)`, 'g'),
      accept: (_match, { text, offset }) => !VERSION_BEFORE.test(text.slice(Math.max(0, offset - 12), offset)),
    },
  ],
})
