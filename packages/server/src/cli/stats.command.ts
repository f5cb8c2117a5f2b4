import type { StorageStats } from '@interlog/schema'
import type { Command } from 'commander'
import { humanBytes, table } from './archive.format.js'
import type { CliContext } from './cli-context.js'
import { withLocalSession } from './local-services.js'

const count = (n: number) => n.toLocaleString('en-US')
const usd = (n: number) => `$${n.toFixed(2)}`
const ratio = (n: number | null) => (n === null ? '-' : `${n.toFixed(1)}x`)

/** `interlog stats --tenant T`: the storage statistics of GET /v1/storage/stats, as tables. */
export function registerStatsCommand(program: Command, cli: CliContext): void {
  program
    .command('stats')
    .description("a tenant's storage over both tiers: counts, sizes, compression, monthly cost, readiness and advice")
    .requiredOption('--tenant <name-or-id>', 'the tenant')
    .action(async (options: { tenant: string }, command: Command) => {
      await withLocalSession(cli.config(command), async (session) => {
        const tenant = await session.services.tenants.resolve(session.actor, options.tenant)
        const stats = await session.services.storageStats.report({ ...session.actor, tenantId: tenant.id })
        cli.print(command, stats, formatStats(stats, tenant.name))
      })
    })
}

export function formatStats(stats: StorageStats, tenantName: string): string {
  const tier = (name: string, t: Omit<StorageStats['active'], 'gb_month_usd'>) => [name, '', count(t.records), humanBytes(t.raw_bytes), humanBytes(t.stored_bytes), ratio(t.compression_ratio), usd(t.estimated_monthly_cost_usd)]
  const tiers = table(['tier', '', 'records', 'raw', 'stored', 'ratio', 'per month'], [tier('active', stats.active), tier('archived', stats.archived), tier('total', stats.total)])
  const types = table(
    ['type', '', 'records', 'active', 'archived', 'raw'],
    stats.by_type.map((t) => [t.type ?? '(no type)', '', count(t.records), count(t.active_records), count(t.archived_records), humanBytes(t.raw_bytes)]),
  )
  const readiness = table(['type', '', 'readiness', 'ready'], stats.readiness.map((r) => [r.type ?? '(no type)', '', `${r.score}/100`, r.ready ? 'yes' : 'no']))
  return [`storage of ${tenantName}`, '', tiers, '', types, '', readiness, '', ...stats.recommendations.map((advice) => `- ${advice}`)].join('\n')
}
