import type { AuditService } from '../audit/audit.service.js'
import type { ExportFinished, ExportObserver } from './export.service.js'

/**
 * Writes every export that sent data to the audit log as `data.export`: completed ones, and those
 * that failed or whose client hung up part-way (some rows may have left). Dry runs send nothing.
 */
export function auditedExports(audit: Pick<AuditService, 'record'>): ExportObserver {
  return {
    async exportFinished(event: ExportFinished) {
      if (event.dryRun) return
      const { format, records_read, rows_written, skipped_count, truncated } = event.summary
      await audit.record(event.auth.tenantId, {
        actor: event.auth,
        action: 'data.export',
        target: { type: event.source, id: format },
        details: { outcome: event.outcome, format, filter: event.filter, include_archived: event.includeArchived, records_read, rows_written, skipped_count, truncated },
      })
    },
  }
}
