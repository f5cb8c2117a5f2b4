import type { Interaction } from '@interlog/schema'
import type { ExportFilter, ExportView } from '../store/store.js'

/**
 * One record an export writes. Interactions are the first source; curated examples plug in as a
 * second one by mapping an example's input and output onto the same interaction fields.
 */
export interface ExportRecord {
  /** Which source it came from, e.g. 'interactions' (or 'examples'). */
  source: string
  id: string
  interaction: Interaction
  /** The correction of the latest feedback that carried one: training formats write it instead of the original output. */
  correction?: unknown
}

/** Where export records come from: pages of records, newest first, pulled one at a time. */
export interface ExportSource {
  readonly name: string
  /**
   * The matching records in pages; the next page is read only when the consumer asks for it. In the
   * conversation view a record's interaction may carry only the fields training formats use.
   */
  pages(tenantId: string, filter: ExportFilter, view: ExportView): AsyncIterable<ExportRecord[]>
  /** How many records match (for progress), before any are skipped. */
  count(tenantId: string, filter: ExportFilter): Promise<number>
  /** Called with the ids of the records of each page once that page is written (examples count their usage here). */
  written?(tenantId: string, ids: string[]): Promise<void>
}
