import type { ExportFormat, ExportSummary } from '@interlog/schema'
import type { ExportOutput } from './formats/format-writer.js'

/** Below V8's large-object threshold (128 KB), with room for multi-byte characters. */
const CHUNK_CHARS = 32 * 1024

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

  /**
   * The text collected since the last call, in chunks of about CHUNK_CHARS. Strings that size are
   * born and die in V8's young generation; a whole page joined into one would go to the large-object
   * space, which only full collections free, and the heap would grow by hundreds of MB before one ran.
   */
  take(): string[] {
    const chunks: string[] = []
    let group: string[] = []
    let length = 0
    for (const part of this.parts) {
      group.push(part)
      length += part.length
      if (length >= CHUNK_CHARS) {
        chunks.push(group.join(''))
        group = []
        length = 0
      }
    }
    if (group.length > 0) chunks.push(group.join(''))
    this.parts = []
    return chunks
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
