import { DAY_MS } from '../analytics/rollup-deltas.js'

export const startOfUtcDay = (ts: number) => Math.floor(ts / DAY_MS) * DAY_MS

/** YYYY-MM-DD of the UTC day holding `ts`. */
export const utcDay = (ts: number) => new Date(startOfUtcDay(ts)).toISOString().slice(0, 10)

/** The path segment for no type at all; a real type of that spelling is escaped, so the two never meet. */
const UNTYPED = '_untyped'

/**
 * One path segment from a tenant id or an interaction type: letters, digits, '-', '_' and '.' stay as
 * they are, everything else is %-escaped (UTF-8), and a leading '.' or '_' is escaped too, so no
 * segment is '.', '..' or the untyped marker.
 */
export function pathSegment(value: string): string {
  if (value === '') return UNTYPED
  const escaped = Array.from(Buffer.from(value, 'utf8'))
    .map((byte, index) => {
      const char = String.fromCharCode(byte)
      const plain = /[A-Za-z0-9-]/.test(char) || ((char === '_' || char === '.') && index > 0)
      return plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
  return escaped
}

/** `<prefix><tenant>/<type>/<yyyy>/<mm>/<dd>/part-<n>.jsonl.gz`; the prefix is '' or ends with '/'. */
export function objectKey(prefix: string, tenantId: string, type: string, day: string, part: number): string {
  const [yyyy, mm, dd] = day.split('-')
  return `${prefix}${pathSegment(tenantId)}/${pathSegment(type)}/${yyyy}/${mm}/${dd}/part-${part}.jsonl.gz`
}

/** The manifest sits beside its object: `.../part-<n>.manifest.json`. */
export const manifestKeyOf = (key: string) => key.replace(/\.jsonl\.gz$/, '.manifest.json')

/** The directory-like prefix of one tenant's objects. */
export const tenantPrefix = (prefix: string, tenantId: string) => `${prefix}${pathSegment(tenantId)}/`
