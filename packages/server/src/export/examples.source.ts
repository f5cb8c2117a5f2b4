import type { Example, Interaction } from '@interlog/schema'
import type { Clock } from '../runtime/clock.js'
import type { ExampleStore, ExportFilter } from '../store/store.js'
import type { ExportRecord, ExportSource } from './export-record.js'

const PAGE_SIZE = 250

const asFields = (value: unknown, key: 'user_message' | 'assistant_response'): Partial<Interaction> => {
  if (value === undefined || value === null) return {}
  if (typeof value === 'object' && !Array.isArray(value)) return value as Partial<Interaction>
  return { [key]: typeof value === 'string' ? value : JSON.stringify(value) }
}

/** An example's input and output onto the interaction fields the formats read: objects as fields, anything else as text. */
function toInteraction(tenantId: string, example: Example): Interaction {
  return {
    ...asFields(example.input, 'user_message'),
    ...asFields(example.output, 'assistant_response'),
    id: example.id,
    tenant_id: tenantId,
    timestamp: example.created_at,
    received_at: example.created_at,
    status: 'success',
    type: example.type ?? undefined,
    category: example.category ?? undefined,
    tags: example.tags,
  } as Interaction
}

/**
 * Curated examples as export records (`source=examples`), newest first. Each page written raises the
 * usage count of its examples.
 */
export class ExamplesExportSource implements ExportSource {
  readonly name = 'examples'

  constructor(
    private readonly store: Pick<ExampleStore, 'list' | 'count' | 'incrementUsage'>,
    private readonly clock: Clock,
  ) {}

  count(tenantId: string, filter: ExportFilter): Promise<number> {
    return this.store.count(tenantId, this.filterOf(filter))
  }

  async *pages(tenantId: string, filter: ExportFilter): AsyncIterable<ExportRecord[]> {
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const { examples } = await this.store.list(tenantId, this.filterOf(filter), { limit: PAGE_SIZE, offset })
      if (examples.length === 0) return
      yield examples.map((example) => ({ source: this.name, id: example.id, interaction: toInteraction(tenantId, example) }))
      if (examples.length < PAGE_SIZE) return
    }
  }

  async written(tenantId: string, ids: string[]): Promise<void> {
    await this.store.incrementUsage(tenantId, ids, this.clock.now().toISOString())
  }

  /** Examples filter by what they have: type, category, tag, quality and end user. */
  private filterOf(filter: ExportFilter) {
    return { type: filter.type, category: filter.category, tag: filter.tag, min_quality: filter.min_quality, user_id: filter.user_id }
  }
}
