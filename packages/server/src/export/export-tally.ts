import type { ExportFormat, ExportSummary } from '@interlog/schema'
import type { ExportOutput } from './formats/format-writer.js'

/** Collects a page's output until it is sent, and counts what was read, written and skipped. */
export class ExportTally implements ExportOutput {
  private parts: string[] = []
  private readonly skipped: Record<string, number> = {}
  recordsRead = 0
  rowsWritten = 0
  skippedCount = 0
  truncated = false

  constructor(
    private readonly format: ExportFormat,
    private readonly maxRows: number,
    /** A dry run counts without keeping the text. */
    private readonly keepText: boolean,
  ) {}

  text(text: string): void {
    if (this.keepText) this.parts.push(text)
  }

  row(text: string): void {
    if (this.keepText) this.parts.push(text)
    this.rowsWritten += 1
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1
    this.skippedCount += 1
  }

  get full(): boolean {
    return this.rowsWritten >= this.maxRows
  }

  /** The text collected since the last call. */
  take(): string {
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('')
    this.parts = []
    return text
  }

  summary(): ExportSummary {
    return {
      format: this.format,
      records_read: this.recordsRead,
      rows_written: this.rowsWritten,
      skipped_count: this.skippedCount,
      skipped: { ...this.skipped },
      truncated: this.truncated,
    }
  }
}
