import {
  InteractionInput,
  MAX_BATCH_ITEMS,
  type BatchItemResult,
  type BatchResult,
  type IngestAck,
  type Interaction,
  type InteractionList,
  type InteractionListQuery,
} from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/errors.js'
import { validationErrorFrom } from '../errors/zod-issues.js'
import type { GroupCommitWriter } from '../ingest/group-commit.writer.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import { VALUE_SORTS, type InteractionFilter, type InteractionRow, type InteractionStore, type Visibility } from '../store/store.js'
import type { PricingService } from '../pricing/pricing.service.js'
import { redactInteraction } from '../privacy/redaction/redaction.targets.js'
import type { Redactor } from '../privacy/redaction/redactor.js'
import type { TenantPrivacy } from '../privacy/tenant-privacy.js'
import { decodeCursor, encodeCursor } from './interaction.cursor.js'
import { normalizeInteraction } from './interaction.normalize.js'

export type IngestResponse = { status: 201 | 200; body: IngestAck } | { status: 207; body: BatchResult }

/** 201 created, 200 already stored (same id), or why the item was refused. */
export type IngestItemOutcome = { id: string; status: 201 | 200 } | { error: AppError }

type Prepared = { index: number; row: InteractionRow } | { index: number; error: AppError }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A range whose lower bound is above its upper one is a mistake in the request, not an empty answer. */
function refuseEmptyRanges(filter: Pick<InteractionListQuery, 'from' | 'to' | 'min_latency_ms' | 'max_latency_ms'>): void {
  const ranges = [
    ['from', 'to', filter.from === undefined || filter.to === undefined || Date.parse(filter.from) <= Date.parse(filter.to)],
    ['min_latency_ms', 'max_latency_ms', filter.min_latency_ms === undefined || filter.max_latency_ms === undefined || filter.min_latency_ms <= filter.max_latency_ms],
  ] as const
  for (const [lower, upper, ordered] of ranges) {
    if (!ordered) throw new ValidationError(`\`${lower}\` must not be above \`${upper}\``, [{ path: lower, code: 'invalid_range', message: `above ${upper}` }])
  }
}

const idTaken = (id: string) => new ConflictError(`The id '${id}' is taken by an interaction this key cannot see; send another id`)

const ackOf = (row: InteractionRow, duplicate: boolean): IngestAck => ({
  id: row.interaction.id,
  timestamp: row.interaction.timestamp,
  status: row.interaction.status,
  duplicate,
})

export class InteractionsService {
  constructor(
    private readonly store: InteractionStore,
    private readonly writer: GroupCommitWriter,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly pricing: PricingService,
    /** Counts a filter's matches without touching the rows when it can (metric rollups). */
    private readonly countQuickly: (tenantId: string, filter: InteractionFilter) => Promise<number> | undefined,
    private readonly privacy: Pick<TenantPrivacy, 'admit'>,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  /** One interaction → 201/200; `{"interactions":[...]}` → 207 with a result per item. */
  async ingest(auth: AuthContext, body: unknown): Promise<IngestResponse> {
    if (!isPlainObject(body)) {
      throw new ValidationError('The body must be a JSON object: one interaction, or {"interactions": [...]}', [
        { path: '(root)', code: 'invalid_type', message: 'expected an object' },
      ])
    }
    return 'interactions' in body ? this.ingestBatch(auth, body) : this.ingestOne(auth, body)
  }

  private async ingestOne(auth: AuthContext, body: unknown): Promise<IngestResponse> {
    const redactor = await this.privacy.admit(auth.tenantId)
    const prepared = this.prepare(auth, body, 0, redactor)
    if ('error' in prepared) throw prepared.error
    await this.price(auth.tenantId, [prepared.row])
    const [outcome] = await this.writer.write(auth.tenantId, [prepared.row])
    if (outcome === 'duplicate') {
      const stored = await this.store.get(auth.tenantId, prepared.row.interaction.id, this.visibility(auth))
      if (!stored) throw idTaken(prepared.row.interaction.id)
      return { status: 200, body: ackOf({ ...prepared.row, interaction: stored }, true) }
    }
    return { status: 201, body: ackOf(prepared.row, false) }
  }

  private async ingestBatch(auth: AuthContext, body: Record<string, unknown>): Promise<IngestResponse> {
    const extra = Object.keys(body).filter((key) => key !== 'interactions')
    const items = body.interactions
    if (extra.length > 0 || !Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_ITEMS) {
      throw new ValidationError(
        `A batch is {"interactions": [...]} with 1 to ${MAX_BATCH_ITEMS} items`,
        extra.length > 0
          ? extra.map((key) => ({ path: key, code: 'unknown_field', message: `unknown field '${key}'` }))
          : [{ path: 'interactions', code: 'invalid_batch', message: `expected an array of 1 to ${MAX_BATCH_ITEMS} items` }],
      )
    }
    const results: BatchItemResult[] = (await this.ingestMany(auth, items)).map((outcome, index) => {
      if ('error' in outcome) {
        const { status, code, message, details } = outcome.error
        // The client's own id, when it sent one, so it can match the refusal to its record.
        const item: unknown = items[index]
        const id = isPlainObject(item) && typeof item.id === 'string' ? item.id : undefined
        return { index, ...(id === undefined ? {} : { id }), status: status === 403 || status === 409 ? status : 400, error: { code, message, details } }
      }
      return { index, id: outcome.id, status: outcome.status }
    })
    return {
      status: 207,
      body: {
        results,
        created: results.filter((r) => r.status === 201).length,
        duplicates: results.filter((r) => r.status === 200).length,
        failed: results.filter((r) => r.status >= 400).length,
      },
    }
  }

  /**
   * Validates, normalises, redacts, prices and writes many interactions in one group commit; answers
   * once they are committed, with one outcome per item in order. A bad item is an error outcome, never
   * an exception; a tenant whose collection is off gets CollectionDisabledError and nothing is written.
   */
  async ingestMany(auth: AuthContext, items: unknown[]): Promise<IngestItemOutcome[]> {
    const redactor = await this.privacy.admit(auth.tenantId)
    const prepared = items.map((item, index) => this.prepare(auth, item, index, redactor))
    const valid = prepared.filter((p): p is { index: number; row: InteractionRow } => 'row' in p)
    await this.price(auth.tenantId, valid.map((p) => p.row))
    const outcomes = await this.writer.write(auth.tenantId, valid.map((p) => p.row))
    const outcomeByIndex = new Map(valid.map((p, i) => [p.index, outcomes[i]]))
    const hidden = await this.hiddenDuplicates(auth, valid.filter((_, i) => outcomes[i] === 'duplicate').map((p) => p.row.interaction.id))
    return prepared.map((p): IngestItemOutcome => {
      if ('error' in p) return { error: p.error }
      const { id } = p.row.interaction
      if (outcomeByIndex.get(p.index) !== 'duplicate') return { id, status: 201 }
      return hidden.has(id) ? { error: idTaken(id) } : { id, status: 200 }
    })
  }

  /**
   * Of the ids that were already stored, those a user-bound key cannot see: another user's rows. Such a
   * key is told the id is taken, never that it holds a row already (with that row's time and status).
   */
  private async hiddenDuplicates(auth: AuthContext, ids: string[]): Promise<Set<string>> {
    if (auth.userId === undefined || ids.length === 0) return new Set()
    const visible = await Promise.all(ids.map((id) => this.store.get(auth.tenantId, id, this.visibility(auth))))
    return new Set(ids.filter((_, i) => visible[i] === undefined))
  }

  /** Prices interactions that arrived with usage but no cost; a cost the client sent is never replaced. */
  private async price(tenantId: string, rows: InteractionRow[]): Promise<void> {
    const unpriced = rows.filter(({ interaction }) => interaction.cost_usd === undefined && interaction.model !== undefined)
    await Promise.all(
      unpriced.map(async ({ interaction }) => {
        const cost = await this.pricing.estimate(tenantId, interaction)
        if (cost === undefined) return
        interaction.cost_usd = cost
        interaction.cost_estimated = true
      }),
    )
  }

  /** Validates, normalises and redacts one item; a bad item becomes an error result, never an exception. */
  private prepare(auth: AuthContext, item: unknown, index: number, redactor: Redactor | undefined): Prepared {
    const parsed = InteractionInput.safeParse(item)
    if (!parsed.success) return { index, error: validationErrorFrom(parsed.error, 'interaction') }
    const input = parsed.data
    if (auth.userId !== undefined) {
      if (input.user_id !== undefined && input.user_id !== auth.userId) {
        return { index, error: new ForbiddenError(`This key may only write interactions of user '${auth.userId}'`) }
      }
      input.user_id = auth.userId
    }
    let row: InteractionRow
    try {
      row = normalizeInteraction(input, { tenantId: auth.tenantId, clock: this.clock, ids: this.ids })
    } catch (error) {
      if (error instanceof AppError) return { index, error }
      throw error
    }
    if (redactor) redactInteraction(redactor, row.interaction)
    return { index, row }
  }

  async list(auth: AuthContext, query: InteractionListQuery & Pick<InteractionFilter, 'incomplete_variables'>): Promise<InteractionList> {
    const { limit, offset, cursor, sort, ...filter } = query
    if (sort === 'relevance' && (filter.q === undefined || cursor !== undefined)) {
      throw new ValidationError('sort=relevance needs q, and pages with offset rather than cursor', [
        { path: 'sort', code: 'invalid_sort', message: 'relevance needs q and no cursor' },
      ])
    }
    refuseEmptyRanges(filter)
    const after = cursor === undefined ? undefined : decodeCursor(cursor, sort in VALUE_SORTS)
    const page = await this.store.list(
      auth.tenantId,
      { ...filter, user_id: this.visibleUser(auth, filter.user_id) },
      { limit, offset, after, sort },
      (scoped) => this.countQuickly(auth.tenantId, scoped),
    )
    const full = page.interactions.length === limit && sort !== 'relevance'
    return {
      interactions: page.interactions,
      total_count: page.total,
      total_count_exact: page.totalExact,
      returned_count: page.interactions.length,
      limit,
      offset,
      next_cursor: full && page.last ? encodeCursor(page.last) : null,
    }
  }

  async get(auth: AuthContext, id: string): Promise<Interaction> {
    const found = await this.store.get(auth.tenantId, id, this.visibility(auth))
    if (!found) throw new NotFoundError(`Interaction '${id}'`)
    return found
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    const deleted = await this.store.delete(auth.tenantId, id, this.visibility(auth))
    if (!deleted) throw new NotFoundError(`Interaction '${id}'`)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'interaction.delete', target: { type: 'interaction', id } })
  }

  async thread(auth: AuthContext, threadId: string, limit: number): Promise<Interaction[]> {
    const interactions = await this.store.thread(auth.tenantId, threadId, this.visibility(auth), limit)
    if (interactions.length === 0) throw new NotFoundError(`Thread '${threadId}'`)
    return interactions
  }

  private visibility(auth: AuthContext): Visibility {
    return auth.userId === undefined ? {} : { userId: auth.userId }
  }

  /** A user-bound key reads only its user; asking for another user is refused rather than silently narrowed. */
  private visibleUser(auth: AuthContext, requested: string | undefined): string | undefined {
    if (auth.userId === undefined) return requested
    if (requested !== undefined && requested !== auth.userId) {
      throw new ForbiddenError(`This key may only read interactions of user '${auth.userId}'`)
    }
    return auth.userId
  }
}
