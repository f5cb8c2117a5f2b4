import type { Command } from 'commander'
import type { ArchiveEvent } from '../archive/archive-run.js'
import { ValidationError } from '../errors/errors.js'
import { formatOverview, formatRestore, formatRunSummary } from './archive.format.js'
import type { CliContext } from './cli-context.js'
import { withLocalSession } from './local-services.js'
import { ProgressBar, type BarOutput } from './archive-progress.js'

interface ArchiveFlags {
  daysOld?: string
  tenant?: string
  dryRun?: boolean
  statsOnly?: boolean
  verbose?: boolean
}

function daysOld(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const days = Number(value)
  if (!/^\d+$/.test(value) || days > 36_500) throw new ValidationError('--days-old must be a whole number of days, from 0 to 36500')
  return days
}

/** ` in 28 objects (first … last)`: the keys of a chunk, without a line of every one. */
function describeObjects(keys: string[]): string {
  if (keys.length === 0) return ''
  if (keys.length <= 2) return ` in ${keys.join(', ')}`
  return ` in ${keys.length} objects (${keys[0]} … ${keys.at(-1)})`
}

/** Steps worth a line with --verbose: where each chunk ended up. */
const REPORTED_STEPS = new Set(['committed', 'discarded'])

/**
 * `interlog archive ...` and `interlog archive restore ...`: straight on the database and the archive
 * target, with or without a running server (runs of one tenant never overlap: they share a lock).
 */
export function registerArchiveCommands(program: Command, cli: CliContext, progress: BarOutput = process.stderr): void {
  const archive = program
    .command('archive')
    .description("move interactions older than each tenant's retention policy to the archive")
    .option('--days-old <n>', "archive interactions from before the UTC day N days ago (default: each tenant's archive_after_days)")
    .option('--tenant <name-or-id>', 'only this tenant (default: every tenant)')
    .option('--dry-run', 'read and compress what would be archived; write and delete nothing')
    .option('--stats-only', 'show what is archived and what is eligible now; archive nothing')
    .option('--verbose', 'print a line per chunk with the objects it wrote (more than two shown as first … last)')
    .action(async (flags: ArchiveFlags, command: Command) => {
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const tenantIds = flags.tenant === undefined ? undefined : [(await services.tenants.resolve(actor, flags.tenant)).id]
        const olderThanDays = daysOld(flags.daysOld)
        const names = new Map((await services.tenants.list(actor)).map((tenant) => [tenant.id, tenant.name]))
        if (flags.statsOnly) {
          const tenants = await services.archive.overview(tenantIds, olderThanDays)
          return cli.print(command, { tenants }, formatOverview(tenants, names))
        }
        const bar = new ProgressBar(progress)
        const say = (text: string) => bar.interrupt(() => progress.write(`${text}\n`))
        const onEvent = (event: ArchiveEvent) => {
          const name = names.get(event.tenantId) ?? event.tenantId
          if (event.kind === 'tenant') {
            if (event.records > 0) bar.begin(`${flags.dryRun ? 'measuring' : 'archiving'} ${name}`, event.records)
          }
          else if (event.kind === 'progress') bar.update(event.records)
          else if (event.kind === 'locked') say(`${name}: another archive run is busy with it; skipped`)
          else if (event.kind === 'failed') say(`${name}: archiving failed: ${event.message}`)
          else if (flags.verbose && (REPORTED_STEPS.has(event.step) || flags.dryRun)) {
            say(`${name}: ${event.step} ${event.records.toLocaleString('en-US')} interactions${describeObjects(event.objects)}`)
          }
        }
        const summary = await services.archive.run({ actor, tenantIds, olderThanDays, dryRun: flags.dryRun === true, onEvent })
        bar.finish()
        cli.print(command, summary, formatRunSummary(summary, names))
        if (summary.failed_tenants.length > 0) process.exitCode = 1
      })
    })

  archive
    .command('restore')
    .description('bring archived interactions with timestamp in [--from, --to) back into the hot store (idempotent)')
    // Required, but checked below: commander hands `--tenant` to `archive`, which has one too.
    .option('--tenant <name-or-id>', 'the tenant (required)')
    .requiredOption('--from <date>', 'YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time, inclusive')
    .requiredOption('--to <date>', 'YYYY-MM-DD or an ISO 8601 date-time, exclusive')
    .action(async (flags: { from: string; to: string }, command: Command) => {
      const tenantFlag = command.optsWithGlobals<{ tenant?: string }>().tenant
      if (tenantFlag === undefined) throw new ValidationError("required option '--tenant <name-or-id>' not specified")
      await withLocalSession(cli.config(command), async ({ services, actor }) => {
        const tenant = await services.tenants.resolve(actor, tenantFlag)
        const result = await services.archiveMaintenance.restore(actor, tenant.id, { from: flags.from, to: flags.to })
        cli.print(command, result, formatRestore(result))
      })
    })
}
