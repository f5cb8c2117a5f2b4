import type { ExportFormat, Interaction } from '@interlog/schema'
import type { ExportRecord } from '../../src/export/export-record.js'
import { ExportTally } from '../../src/export/export-tally.js'
import { EXPORT_FORMAT_SPECS } from '../../src/export/formats/formats.js'

let counter = 0

/** A record as a source hands it over: an interaction (only what the test sets) and its latest correction. */
export function aRecord(fields: Partial<Interaction>, correction?: unknown): ExportRecord {
  const id = `rec-${++counter}`
  const interaction = { id, tenant_id: 't', timestamp: '2026-01-01T00:00:00.000Z', status: 'success', received_at: '2026-01-01T00:00:00.000Z', ...fields } as Interaction
  return correction === undefined ? { source: 'interactions', id, interaction } : { source: 'interactions', id, interaction, correction }
}

/** Runs a format's writer over the records: the text it wrote and the summary. */
export function runFormat(format: ExportFormat, records: ExportRecord[]) {
  const tally = new ExportTally(format, Number.POSITIVE_INFINITY, true)
  const writer = EXPORT_FORMAT_SPECS[format].create()
  writer.start(tally)
  for (const record of records) {
    tally.recordsRead += 1
    writer.write(record, tally)
  }
  writer.end(tally)
  const text = tally.take().join('')
  return {
    text,
    summary: tally.summary(),
    /** The JSON lines, for the line formats. */
    get lines() {
      return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, any>)
    },
  }
}
