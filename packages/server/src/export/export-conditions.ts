import { FLAGGED_FEEDBACK_KINDS, type Interaction } from '@interlog/schema'
import type { ExportFilter } from '../store/store.js'

const FLAGGED: ReadonlySet<string> = new Set(FLAGGED_FEEDBACK_KINDS)

/**
 * The export's own conditions on outcome and latest feedback, applied in memory to interactions read
 * from the archive: the same meaning as the hot store's WHERE clause (exportScoped in export.store.ts).
 */
export function exportConditions(filter: ExportFilter): (interaction: Interaction) => boolean {
  return (interaction) => {
    const kind = interaction.feedback_kind
    if (filter.success_only && interaction.status !== 'success') return false
    if (filter.with_feedback_only && kind === undefined) return false
    if (filter.min_quality !== undefined && (interaction.feedback_quality_score === undefined || interaction.feedback_quality_score < filter.min_quality)) return false
    if (filter.exclude_flagged && kind !== undefined && FLAGGED.has(kind)) return false
    return true
  }
}
