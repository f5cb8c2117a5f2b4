import type { ExportFormatSpec } from './format-writer.js'
import { perRecordWriter } from './format-writer.js'

/** `json`: one valid JSON array of interactions, as `GET /v1/interactions/:id` returns them. */
export const jsonFormat: ExportFormatSpec = {
  mediaType: 'application/json; charset=utf-8',
  extension: 'json',
  view: 'full',
  create() {
    let first = true
    return {
      start: (out) => out.text('['),
      write(record, out) {
        out.row(`${first ? '\n' : ',\n'}${JSON.stringify(record.interaction)}`)
        first = false
      },
      end: (out) => out.text(first ? ']\n' : '\n]\n'),
    }
  },
}

/** `jsonl`: one interaction per line. */
export const jsonlFormat: ExportFormatSpec = {
  mediaType: 'application/x-ndjson; charset=utf-8',
  extension: 'jsonl',
  view: 'full',
  create: () => perRecordWriter((record, out) => out.row(`${JSON.stringify(record.interaction)}\n`)),
}
