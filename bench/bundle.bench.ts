/**
 * npm run bench:bundle — what a browser downloads to show each dashboard page on a first visit
 * (nothing cached): the app shell (entry script, its static imports, the stylesheet, the page) plus
 * the page's own chunk and its imports, gzipped as served. Reads the Vite manifest of the production
 * build. Goal: under 250 KB gzipped for the first load.
 */
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

const DIST = fileURLToPath(new URL('../packages/dashboard/dist/', import.meta.url))
const GOAL_KB = 250

interface Chunk {
  file: string
  name?: string
  src?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}
const manifest = JSON.parse(readFileSync(`${DIST}.vite/manifest.json`, 'utf8')) as Record<string, Chunk>

const gzipped = (file: string) => gzipSync(readFileSync(`${DIST}${file}`)).length
const raw = (file: string) => readFileSync(`${DIST}${file}`).length

/** A chunk's file, its CSS and everything it imports statically, transitively. */
function closure(key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key]!
  into.add(chunk.file)
  for (const css of chunk.css ?? []) into.add(css)
  for (const imported of chunk.imports ?? []) if (!into.has(manifest[imported]!.file)) closure(imported, into)
  return into
}

const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!
const shell = closure(entryKey)
shell.add('index.html')
const sum = (files: Iterable<string>, size: (file: string) => number) => [...files].reduce((total, file) => total + size(file), 0)
const kb = (bytes: number) => (bytes / 1024).toFixed(1)

console.log(`app shell (index.html, entry script, stylesheet): ${kb(sum(shell, gzipped))} KB gzipped (${kb(sum(shell, raw))} KB raw)\n`)
console.log('page                first load, KB gzipped   raw KB   goal KB   ratio to goal   result')
let worst = 0
for (const key of manifest[entryKey]!.dynamicImports ?? []) {
  const files = closure(key, new Set(shell))
  const bytes = sum(files, gzipped)
  worst = Math.max(worst, bytes)
  const name = manifest[key]!.name ?? key
  console.log(
    `${name.padEnd(19)} ${kb(bytes).padStart(24)}   ${kb(sum(files, raw)).padStart(6)}   ${String(GOAL_KB).padStart(7)}   ${(bytes / 1024 / GOAL_KB).toFixed(2).padStart(13)}   ${bytes / 1024 <= GOAL_KB ? 'meets goal' : 'MISSES goal'}`,
  )
}
const everything = sum(Object.values(manifest).flatMap((chunk) => [chunk.file, ...(chunk.css ?? [])]).filter((file, i, all) => all.indexOf(file) === i), gzipped)
console.log(`\nlargest first load: ${kb(worst)} KB gzipped; every chunk together: ${kb(everything)} KB gzipped`)
