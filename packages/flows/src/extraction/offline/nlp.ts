import { createRequire } from 'node:module'
import type compromise from 'compromise'

const require = createRequire(import.meta.url)
let loaded: typeof compromise | undefined

/**
 * compromise, loaded on first use: its lexicon takes ~10 MB of heap, which every server carried
 * from its start even when no flow ever ran (and a larger live heap lets V8 grow it further before
 * collecting). The package ships a CommonJS build, so loading stays synchronous.
 */
export function nlp(text: string): ReturnType<typeof compromise> {
  loaded ??= require('compromise') as typeof compromise
  return loaded(text)
}
