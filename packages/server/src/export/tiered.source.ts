import type { Interaction } from '@interlog/schema'
import type { ArchivedRecord } from '../archive/archive-record.js'
import type { TenantLease } from '../archive/archive.service.js'
import { LATEST_COLUMNS, withoutLatest } from '../store/kysely/interaction.rows.js'
import { CONVERSATION_FIELDS, type ExportFilter, type ExportStore, type ExportView } from '../store/store.js'
import { exportConditions } from './export-conditions.js'
import type { ExportRecord, ExportSource } from './export-record.js'

/** What an export of both tiers needs from the archive (ArchiveService). */
export interface ArchiveReader {
  hold(tenantId: string): Promise<TenantLease>
  readArchived(tenantId: string, filter: ExportFilter, options: { newestFirst: boolean }): AsyncIterable<ArchivedRecord>
  archivedAtMost(tenantId: string, filter: ExportFilter): Promise<number>
}

const PAGE_SIZE = 250

/**
 * Interactions of both tiers (`include_archived=true`): the hot ones first, newest first, exactly as
 * without archived data (so max_rows keeps the newest), then the archived ones, newest object first
 * (objects hold one type and day; inside one, oldest first).
 *
 * Each interaction is read once: the tenant's archive lock is held from the first read to the end of
 * the export, so no archive run, restore or erasure moves a row between the tiers (or removes an
 * object) under it; and an id that is hot again (sent anew after it was archived) is written in its
 * hot version only, as a restore keeps the hot version.
 */
export class TieredInteractionsSource implements ExportSource {
  readonly name = 'interactions'

  constructor(
    private readonly hot: ExportSource,
    private readonly archive: ArchiveReader,
    private readonly store: Pick<ExportStore, 'hotIds'>,
  ) {}

  /** Exact for the hot tier, an upper bound for the archived one (for progress bars). */
  async count(tenantId: string, filter: ExportFilter): Promise<number> {
    const [hot, archived] = await Promise.all([this.hot.count(tenantId, filter), this.archive.archivedAtMost(tenantId, filter)])
    return hot + archived
  }

  async *pages(tenantId: string, filter: ExportFilter, view: ExportView): AsyncIterable<ExportRecord[]> {
    const lease = await this.archive.hold(tenantId)
    try {
      yield* this.hot.pages(tenantId, filter, view)
      yield* this.archivedPages(tenantId, filter, view)
    } finally {
      await lease.release()
    }
  }

  private async *archivedPages(tenantId: string, filter: ExportFilter, view: ExportView): AsyncIterable<ExportRecord[]> {
    const wanted = exportConditions(filter)
    let page: ArchivedRecord[] = []
    for await (const record of this.archive.readArchived(tenantId, filter, { newestFirst: true })) {
      if (!wanted(record.interaction)) continue
      page.push(record)
      if (page.length < PAGE_SIZE) continue
      const records = await this.notHot(tenantId, page, view)
      page = []
      if (records.length > 0) yield records
    }
    const records = await this.notHot(tenantId, page, view)
    if (records.length > 0) yield records
  }

  private async notHot(tenantId: string, page: ArchivedRecord[], view: ExportView): Promise<ExportRecord[]> {
    const hot = await this.store.hotIds(tenantId, page.map((record) => record.interaction.id))
    return page.filter((record) => !hot.has(record.interaction.id)).map((record) => archivedExportRecord(record, view))
  }
}

/**
 * An archived record as the hot tier's export page shows the same interaction: the fields in the same
 * order (so a line is the same whichever tier it came from), in the conversation view only the fields
 * training formats read, and the correction of the latest feedback that carried one.
 */
export function archivedExportRecord({ interaction, feedback }: ArchivedRecord, view: ExportView): ExportRecord {
  const record: ExportRecord = { source: 'interactions', id: interaction.id, interaction: view === 'full' ? fullView(interaction) : conversationView(interaction) }
  // The history is oldest first: the last correction wins, as in the hot store.
  for (const item of feedback) if (item.correction !== null && item.correction !== undefined) record.correction = item.correction
  return record
}

/** The conversation view shows the latest feedback, not the latest validation, as the hot store's does. */
const LATEST_FEEDBACK = LATEST_COLUMNS.slice(0, 2)

/** Adds the latest feedback's (and validation's) fields last and in the hot store's order. */
function withLatest(fields: Record<string, unknown>, interaction: Interaction, names: readonly (typeof LATEST_COLUMNS)[number][]): Interaction {
  for (const name of names) if (interaction[name] !== undefined) fields[name] = interaction[name]
  return fields as unknown as Interaction
}

function fullView(interaction: Interaction): Interaction {
  const { id, tenant_id, size_bytes, ...body } = withoutLatest(interaction)
  return withLatest({ id, tenant_id, ...body, size_bytes }, interaction, LATEST_COLUMNS)
}

function conversationView(interaction: Interaction): Interaction {
  const fields: Record<string, unknown> = { id: interaction.id, tenant_id: interaction.tenant_id, status: interaction.status }
  for (const field of CONVERSATION_FIELDS) {
    const value = interaction[field]
    if (value !== undefined && value !== null) fields[field] = value
  }
  return withLatest(fields, interaction, LATEST_FEEDBACK)
}
