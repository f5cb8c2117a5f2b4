import type { ExportView } from '../../store/store.js'
import type { ExportRecord } from '../export-record.js'

/** Where a writer puts its output: rows of text, or the reason a record was left out. */
export interface ExportOutput {
  /** Appends text that is not a row (a JSON array's brackets, a CSV header). */
  text(text: string): void
  /** Appends one row (a JSONL line with its newline, an array item, a CSV record) and counts it. */
  row(text: string): void
  /** Counts a record that cannot be written in this format, by reason (snake_case). */
  skip(reason: string): void
}

/**
 * One export format. A writer is made per export and may keep state between records (a JSON array's
 * separators, preference pairs waiting for their other half).
 */
export interface FormatWriter {
  start(out: ExportOutput): void
  write(record: ExportRecord, out: ExportOutput): void
  end(out: ExportOutput): void
}

export interface ExportFormatSpec {
  mediaType: string
  extension: string
  /** The fields the format reads: `conversation` formats never see the rest of an interaction. */
  view: ExportView
  create(): FormatWriter
}

/** A writer with nothing to open or close: one row (or a skip) per record. */
export function perRecordWriter(write: (record: ExportRecord, out: ExportOutput) => void): FormatWriter {
  return { start() {}, write, end() {} }
}
