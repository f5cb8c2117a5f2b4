import { ValidationError } from '../errors/errors.js'

/** A parsed full-text query: every term must match (AND). */
export type SearchTerm = { kind: 'word' | 'prefix'; text: string } | { kind: 'phrase'; words: string[] }

const WORD = /[\p{L}\p{N}_]+/gu
const invalid = (message: string) => new ValidationError(`Invalid search query: ${message}`, [{ path: 'q', code: 'invalid_search', message }])

/**
 * Parses what people type: words, "quoted phrases" and prefix* terms. Only letters, digits and _ reach
 * the database, so no query can break the FTS5 or tsquery syntax; anything unusable is a 400.
 */
export function parseSearchQuery(input: string): SearchTerm[] {
  if ((input.match(/"/g) ?? []).length % 2 !== 0) throw invalid('a quote is not closed')
  const terms: SearchTerm[] = []
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (match[1] !== undefined) {
      const words = match[1].match(WORD) ?? []
      if (words.length === 0) throw invalid('an empty phrase')
      terms.push(words.length === 1 ? { kind: 'word', text: words[0]! } : { kind: 'phrase', words })
      continue
    }
    const token = match[2]!
    const isPrefix = token.endsWith('*')
    const words = token.match(WORD) ?? []
    if (words.length === 0) {
      if (isPrefix) throw invalid(`'${token}' has no letters or digits before *`)
      continue // lone punctuation
    }
    if (isPrefix && words.length === 1) terms.push({ kind: 'prefix', text: words[0]! })
    else if (words.length === 1) terms.push({ kind: 'word', text: words[0]! })
    else terms.push({ kind: 'phrase', words }) // e.g. "e-mail" is matched as the phrase "e mail", as tokenizers split it
  }
  if (terms.length === 0) throw invalid('no words to search for')
  if (terms.length > 32) throw invalid('more than 32 terms')
  return terms
}

/** SQLite FTS5 MATCH syntax. */
export const toFts5 = (terms: SearchTerm[]) =>
  terms
    .map((term) => (term.kind === 'phrase' ? `"${term.words.join(' ')}"` : term.kind === 'prefix' ? `"${term.text}"*` : `"${term.text}"`))
    .join(' AND ')

/** PostgreSQL to_tsquery syntax. */
export const toTsQuery = (terms: SearchTerm[]) =>
  terms.map((term) => (term.kind === 'phrase' ? `(${term.words.join(' <-> ')})` : term.kind === 'prefix' ? `${term.text}:*` : term.text)).join(' & ')
