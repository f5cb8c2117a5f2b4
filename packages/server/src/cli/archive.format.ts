import type { ArchiveRunSummary, RestoreResult } from '@interlog/schema'
import type { TenantOverview } from '../archive/archive.service.js'

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

export function humanBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`
}

const count = (n: number) => n.toLocaleString('en-US')
const typeName = (type: string | null) => type ?? '(no type)'

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

interface Sizes {
  records: number
  objects: number
  bytes_before: number
  bytes_after: number
  compression_ratio: number | null
  estimated_monthly_saving_usd: number
}

const sizeCells = (sizes: Sizes) => [
  count(sizes.records),
  count(sizes.objects),
  humanBytes(sizes.bytes_before),
  humanBytes(sizes.bytes_after),
  sizes.compression_ratio === null ? '-' : `${sizes.compression_ratio.toFixed(1)}x`,
  `$${sizes.estimated_monthly_saving_usd.toFixed(4)}`,
]

/** The per-tenant, per-type summary of a run, for people. */
export function formatRunSummary(summary: ArchiveRunSummary, names: Map<string, string>): string {
  const rows: string[][] = []
  const notes: string[] = []
  for (const tenant of summary.tenants) {
    const name = names.get(tenant.tenant_id) ?? tenant.tenant_id
    for (const type of tenant.by_type) rows.push([name, typeName(type.type), ...sizeCells(type)])
    if (tenant.by_type.length > 1) rows.push([name, 'all types', ...sizeCells(tenant)])
    if (tenant.skipped_records > 0) notes.push(`${name}: ${count(tenant.skipped_records)} interactions changed while being archived; they stay hot until the next run`)
    if (tenant.expired_batches > 0) notes.push(`${name}: ${count(tenant.expired_batches)} archived objects ${summary.dry_run ? 'would be' : 'were'} deleted (delete_archived_after_days)`)
  }
  for (const tenantId of summary.locked_tenants) notes.push(`${names.get(tenantId) ?? tenantId}: another archive run is busy with it; skipped`)
  for (const { tenant_id, message } of summary.failed_tenants) notes.push(`${names.get(tenant_id) ?? tenant_id}: archiving failed (${message}); the next run tries again`)
  rows.push(['total', '', ...sizeCells(summary.totals)])
  const title = summary.dry_run ? 'dry run: what an archive run would do (nothing written or deleted)' : `archive run ${summary.run_id}`
  return [title, '', table(['tenant', 'type', 'records', 'objects', 'before', 'after', 'ratio', 'saving/month'], rows), ...notes.map((note) => `\n${note}`)].join('\n')
}

/** `--stats-only`: what is archived, and what a run would take now. */
export function formatOverview(tenants: TenantOverview[], names: Map<string, string>): string {
  const archived = tenants.flatMap((tenant) =>
    tenant.archived.map((row) => [
      names.get(tenant.tenant_id) ?? tenant.tenant_id,
      typeName(row.type),
      count(row.records),
      count(row.batches),
      humanBytes(row.raw_bytes),
      humanBytes(row.compressed_bytes),
      row.compressed_bytes > 0 ? `${(row.raw_bytes / row.compressed_bytes).toFixed(1)}x` : '-',
    ]),
  )
  const eligible = tenants.flatMap((tenant) =>
    tenant.eligible.map((row) => [names.get(tenant.tenant_id) ?? tenant.tenant_id, typeName(row.type), count(row.records), humanBytes(row.bytes), tenant.cutoff]),
  )
  return [
    'archived now',
    archived.length > 0 ? table(['tenant', 'type', 'records', 'objects', 'before', 'after', 'ratio'], archived) : '(nothing archived)',
    '',
    'eligible for archiving',
    eligible.length > 0 ? table(['tenant', 'type', 'records', 'hot bytes', 'older than'], eligible) : '(nothing eligible)',
  ].join('\n')
}

export function formatRestore(result: RestoreResult): string {
  return (
    `restored ${count(result.restored)} interactions (${count(result.already_present)} were already hot); ` +
    `${result.batches_rewritten} objects rewritten, ${result.batches_emptied} removed` +
    (result.held_until === null ? '' : `; archive runs leave the range hot until ${result.held_until}`)
  )
}
