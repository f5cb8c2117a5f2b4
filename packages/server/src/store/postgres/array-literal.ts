/**
 * A PostgreSQL array literal (`{"a",NULL,3}`) for a parameter cast to an array type, built with one
 * join. The driver builds the same text by appending element after element, which made it the largest
 * allocator on the ingest path (~7 KB of short-lived strings per interaction for the bulk insert's
 * thirty columns), and the garbage collector's work grows with that.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  const elements = new Array<string>(values.length)
  for (let i = 0; i < values.length; i++) elements[i] = element(values[i])
  return `{${elements.join(',')}}`
}

const NEEDS_ESCAPE = /["\\]/
const ESCAPED = /["\\]/g

function element(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') return String(value)
  // Quoted always, so '', 'NULL', spaces, commas and braces stay text; inside quotes only " and \ are special.
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : `"${value}"`
  // bytea in hex; the backslash is doubled because the element is quoted.
  if (Buffer.isBuffer(value)) return `"\\\\x${value.toString('hex')}"`
  throw new TypeError(`No array literal for a ${typeof value}`)
}
