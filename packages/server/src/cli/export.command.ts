import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { EXPORT_FORMATS, ExportQuery, type ExportSummary } from '@interlog/schema'
import type { Command } from 'commander'
import { DEFAULT_TENANT } from '../admin/bootstrap.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { ExportRun } from '../export/export.service.js'
import type { CliContext } from './cli-context.js'
import { withLocalSession } from './local-services.js'
import { ProgressBar } from './progress-bar.js'

/** Filter flags, each named after its query parameter (`--min-quality` is `min_quality`). */
const VALUE_FLAGS = [
  ['type', 'interaction type'],
  ['category', 'category'],
  ['from', 'inclusive lower bound on timestamp (ISO 8601)'],
  ['to', 'exclusive upper bound on timestamp (ISO 8601)'],
  ['min-quality', 'latest feedback quality score at least this (0-100)'],
  ['user-id', 'one end user'],
  ['thread-id', 'one conversation'],
  ['session-id', 'one session'],
  ['status', 'success, failure or partial'],
  ['model', 'model'],
  ['provider', 'provider'],
  ['tag', 'tag'],
  ['q', 'full-text search: words, "phrases", prefix*'],
  ['min-latency-ms', 'latency at least this'],
  ['max-latency-ms', 'latency at most this'],
  ['max-rows', 'stop after writing this many rows'],
] as const
const SWITCHES = [
  ['success-only', 'only successful interactions'],
  ['with-feedback-only', 'only interactions with feedback'],
  ['exclude-flagged', 'leave out interactions whose latest feedback is report, thumbs_down or rejected'],
  ['include-archived', 'also archived interactions matching the same filters, after the hot ones (not with --q)'],
] as const

const camel = (flag: string) => flag.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())
const snake = (flag: string) => flag.replaceAll('-', '_')

/** The flags as the query string GET /v1/export takes, so both validate the same way. */
function queryOf(options: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = { format: String(options.format) }
  for (const [flag] of VALUE_FLAGS) if (options[camel(flag)] !== undefined) query[snake(flag)] = String(options[camel(flag)])
  for (const [flag] of SWITCHES) if (options[camel(flag)]) query[snake(flag)] = 'true'
  return query
}

export function describeSummary(summary: ExportSummary, destination: string): string {
  const lines = [`wrote ${summary.rows_written.toLocaleString('en-US')} rows (${summary.format}) to ${destination} from ${summary.records_read.toLocaleString('en-US')} records`]
  const reasons = Object.entries(summary.skipped).sort((a, b) => b[1] - a[1])
  if (reasons.length > 0) lines.push(`skipped ${summary.skipped_count.toLocaleString('en-US')}: ${reasons.map(([reason, n]) => `${reason} ${n.toLocaleString('en-US')}`).join(', ')}`)
  if (summary.truncated) lines.push('stopped at --max-rows')
  return lines.join('\n')
}

/** Writes to a temporary file beside the target and renames it at the end: a failed export leaves no half-written file. */
async function writeFile(run: ExportRun, out: string, progress: (run: ExportRun) => void): Promise<void> {
  const partial = `${out}.partial-${process.pid}`
  async function* counted() {
    for await (const chunk of run.chunks) {
      yield chunk
      progress(run)
    }
  }
  try {
    await pipeline(Readable.from(counted(), { objectMode: false }), createWriteStream(partial))
    await rename(partial, out)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
}

/** `interlog export`: straight from the database, with or without a running server. */
export function registerExportCommand(program: Command, cli: CliContext, stderr: { write(text: string): unknown; isTTY?: boolean } = process.stderr): void {
  const command = program
    .command('export')
    .description('export interactions as a dataset file (progress on stderr, then a summary)')
    .option('--format <format>', EXPORT_FORMATS.join(', '), 'jsonl')
    .option('--out <file>', 'file to write (default: stdout)')
    .option('--tenant <name-or-id>', 'tenant to export', DEFAULT_TENANT)
  for (const [flag, description] of VALUE_FLAGS) command.option(`--${flag} <value>`, description)
  for (const [flag, description] of SWITCHES) command.option(`--${flag}`, description)
  command.action(async (options: Record<string, unknown> & { tenant: string; out?: string }, self: Command) => {
    const query = parseOrThrow(ExportQuery, queryOf(options), 'options')
    await withLocalSession(cli.config(self), async ({ services, actor }) => {
      const tenant = await services.tenants.resolve(actor, options.tenant)
      const auth = { ...actor, tenantId: tenant.id }
      // Counted first: an open export may hold the tenant's archive lock until its chunks are read.
      const total = await services.exports.count(auth, query)
      const run = await services.exports.open(auth, query)
      const bar = new ProgressBar(stderr, total, 'records')
      const progress = (current: ExportRun) => bar.update(current.summary().records_read)
      if (options.out) {
        await writeFile(run, options.out, progress)
      } else {
        for await (const chunk of run.chunks) {
          if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve))
          progress(run)
        }
      }
      const summary = run.summary()
      bar.finish(summary.records_read)
      const text = describeSummary(summary, options.out ?? 'stdout')
      if (options.out) cli.print(self, summary, text)
      else stderr.write(`${text}\n`)
    })
  })
}
