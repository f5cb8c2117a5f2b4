import type { ArchiveBatchStatus, Interaction } from '@interlog/schema'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import { rollupDeltas, type MetricSource, type TenantDeltas } from '../../analytics/rollup-deltas.js'
import type {
  ArchivableRow,
  ArchiveBatchRecord,
  ArchiveCommit,
  ArchiveRewrite,
  ArchiveStatsRecord,
  ArchiveStore,
  BatchQuery,
  EligibleCount,
  PartKey,
  RestoredInteraction,
  RetentionRecord,
  RowKey,
  TimeRange,
} from '../archive-store.js'
import { partKeyText } from '../archive-store.js'
import { chunks, chunksTakingTurns } from './chunks.js'
import type { Database } from './database.js'
import { toFeedback } from './feedback.store.js'
import { eraseAttachedData } from './erasure.store.js'
import type { IdLists } from './id-lists.js'
import { metricSourceOf, toInteractionColumns } from './interaction.rows.js'
import { toFlag } from './json-text.js'
import { toValidation, toValidationRow } from './validation.store.js'
import { attachedHistory } from './visible-interaction.js'
import type { PayloadCodec } from './payload-codec.js'

type Db = Kysely<Database>
type InteractionQuery = SelectQueryBuilder<Database, 'interactions', object>

/** What differs between the dialects when interactions move between the tiers. */
export interface ArchiveDialect {
  /** How statements match many interaction ids. */
  readonly idLists: IdLists
  /** Adds metric rollup deltas inside the open transaction `trx`. */
  applyRollupDeltas(trx: Db, groups: TenantDeltas[]): Promise<void>
  /** Removes the rows' search entries, where the index is kept apart from the rows (before the rows go). */
  removeFromSearch(trx: Db, tenantId: string, ids: string[]): Promise<void>
  /** Indexes restored rows, where the index is kept apart from the rows (after they are stored). */
  addToSearch(trx: Db, tenantId: string, interactions: Interaction[]): Promise<void>
  /**
   * Before a run deletes many interactions (on) and after it (off): where the search index tidies up
   * after deletes, it then does so once, at the end, rather than after every chunk.
   */
  deferSearchUpkeep(on: boolean): Promise<void>
  /** Returns once every write to interactions or feedback that began before the call has finished. */
  awaitWritesInFlight(): Promise<void>
  /** Runs `work` under a lock every process on the database shares; undefined when it is held elsewhere. */
  withLock<T>(name: string, work: () => Promise<T>): Promise<{ value: T } | undefined>
}

/** Thrown inside a transaction to roll it back; never escapes this file. */
class Rollback extends Error {}

function outsideHolds(query: InteractionQuery, holds: TimeRange[]): InteractionQuery {
  return holds.reduce((q, hold) => q.where((eb) => eb.not(eb.and([eb('ts', '>=', hold.from), eb('ts', '<', hold.to)]))), query)
}

/** Rows after `after` in (ts, id) order, or all of them. */
function pastKey(query: InteractionQuery, after: RowKey | undefined): InteractionQuery {
  return after ? query.where((eb) => eb(eb.refTuple('ts', 'id'), '>', eb.tuple(after.ts, after.id))) : query
}

/** Rows per statement when counting what a run would archive (~25 ms of SQLite's time each). */
const ELIGIBLE_SLICE_ROWS = 20_000

/** Archive metadata, retention settings and tier moves, written once for both dialects. */
export class KyselyArchiveStore implements ArchiveStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: ArchiveDialect,
    /** Large fields are stored compressed beside the JSON: the archive holds them in place. */
    private readonly codec: PayloadCodec,
  ) {}

  getRetention(tenantId: string): Promise<RetentionRecord | undefined> {
    return this.db
      .selectFrom('retention_settings')
      .select(['archive_after_days', 'delete_archived_after_days', 'target', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst()
  }

  async putRetention(tenantId: string, settings: RetentionRecord): Promise<void> {
    await this.db
      .insertInto('retention_settings')
      .values({ tenant_id: tenantId, ...settings })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(settings))
      .execute()
  }

  withLock<T>(name: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    return this.dialect.withLock(name, work)
  }

  withTenantLock<T>(tenantId: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    return this.dialect.withLock(`archive:${tenantId}`, work)
  }

  /**
   * Counted in slices of the time index, a turn of the event loop between them: one count over a large
   * backlog held SQLite's (synchronous) connection, and so every request, for about a second per 700,000 rows.
   */
  async eligible(tenantId: string, before: number, holds: TimeRange[]): Promise<EligibleCount[]> {
    const totals = new Map<string, EligibleCount>()
    let after: RowKey | undefined
    do {
      if (after) await nextTurn()
      const upTo = await this.sliceEnd(tenantId, before, after)
      let query = pastKey(outsideHolds(this.db.selectFrom('interactions'), holds), after)
        .where('tenant_id', '=', tenantId)
        .where('ts', '<', before)
      if (upTo) query = query.where((eb) => eb(eb.refTuple('ts', 'id'), '<=', eb.tuple(upTo.ts, upTo.id)))
      const rows = await query
        .select([
          sql<string>`coalesce(type, '')`.as('type'),
          (eb) => eb.fn.countAll<number>().as('records'),
          (eb) => eb.fn.sum<number>('size_bytes').as('bytes'),
        ])
        .groupBy(sql`coalesce(type, '')`)
        .execute()
      for (const row of rows) {
        const total = totals.get(row.type) ?? { type: row.type, records: 0, bytes: 0 }
        total.records += Number(row.records)
        total.bytes += Number(row.bytes)
        totals.set(row.type, total)
      }
      after = upTo
    } while (after)
    return [...totals.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
  }

  /** The key ELIGIBLE_SLICE_ROWS rows after `after` in the time index, or undefined when fewer are left. */
  private async sliceEnd(tenantId: string, before: number, after: RowKey | undefined): Promise<RowKey | undefined> {
    const row = await pastKey(this.db.selectFrom('interactions'), after)
      .where('tenant_id', '=', tenantId)
      .where('ts', '<', before)
      .select(['ts', 'id'])
      .orderBy('ts')
      .orderBy('id')
      .limit(1)
      .offset(ELIGIBLE_SLICE_ROWS - 1)
      .executeTakeFirst()
    return row && { ts: Number(row.ts), id: row.id }
  }

  async readRows(tenantId: string, range: TimeRange, after: RowKey | undefined, limit: number, holds: TimeRange[]): Promise<ArchivableRow[]> {
    const rows = await pastKey(outsideHolds(this.db.selectFrom('interactions'), holds), after)
      .where('tenant_id', '=', tenantId)
      .where('ts', '>=', range.from)
      .where('ts', '<', range.to)
      .select(['id', 'ts', 'type', 'user_id', 'size_bytes', 'feedback_kind', 'feedback_quality_score', 'payload', sql<string>`cast(data as text)`.as('data')])
      .select(['validation_passed', 'validation_score', 'validation_user_edited'])
      .orderBy('ts')
      .orderBy('id')
      .limit(limit)
      .execute()
    // Only rows with a latest feedback (or validation) can have a history of it.
    const [feedback, validations] = await Promise.all([
      this.histories(tenantId, 'feedback', rows.filter((row) => row.feedback_kind !== null).map((row) => row.id), toFeedback),
      this.histories(tenantId, 'validations', rows.filter((row) => row.validation_passed !== null).map((row) => row.id), toValidation),
    ])
    const flag = (value: number | null) => (value === null ? null : value === 1)
    // Fields named one by one rather than spread: a run maps millions of rows, and the copies were a
    // visible share of its garbage.
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      user_id: row.user_id,
      feedback_kind: row.feedback_kind,
      // Rows with compressed fields (rare: fields over the threshold) get their whole JSON back.
      data: row.payload === null ? row.data : JSON.stringify(this.codec.decode(row.data, row.payload)),
      ts: Number(row.ts),
      size_bytes: Number(row.size_bytes),
      feedback_quality_score: row.feedback_quality_score === null ? null : Number(row.feedback_quality_score),
      validation_passed: flag(row.validation_passed),
      validation_score: row.validation_score === null ? null : Number(row.validation_score),
      validation_user_edited: flag(row.validation_user_edited),
      feedback: feedback.get(row.id) ?? [],
      validations: validations.get(row.id) ?? [],
    }))
  }

  /** The feedback or validation history of each interaction, oldest first, as the hot store answers it. */
  private async histories<T extends 'feedback' | 'validations', R>(
    tenantId: string,
    table: T,
    interactionIds: string[],
    toItem: (row: Database[T]) => R,
  ): Promise<Map<string, R[]>> {
    const history = new Map<string, R[]>()
    for (const ids of chunks(interactionIds)) {
      const found = (await attachedHistory(this.db, table, tenantId, ids).execute()) as Database[T][]
      for (const row of found) {
        const list = history.get(row.interaction_id) ?? []
        list.push(toItem(row))
        history.set(row.interaction_id, list)
      }
    }
    return history
  }

  /** One query per 200 keys (a run asks for a chunk's objects at once), each key an index lookup. */
  async lastParts(tenantId: string, keys: PartKey[]): Promise<number[]> {
    const highest = new Map<string, number>()
    for (const some of chunks(keys, 200)) {
      const rows = await this.db
        .selectFrom('archive_batches')
        .select(['type', 'day', (eb) => eb.fn.max('part').as('part')])
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or(some.map((key) => eb.and([eb('type', '=', key.type), eb('day', '=', key.day)]))))
        .groupBy(['type', 'day'])
        .execute()
      for (const row of rows) highest.set(partKeyText(row), Number(row.part))
    }
    return keys.map((key) => highest.get(partKeyText(key)) ?? 0)
  }

  async insertBatches(tenantId: string, batches: ArchiveBatchRecord[]): Promise<void> {
    if (batches.length === 0) return
    await this.db
      .insertInto('archive_batches')
      .values(batches.map((batch) => ({ ...batch, tenant_id: tenantId })))
      .execute()
  }

  deferSearchUpkeep(on: boolean): Promise<void> {
    return this.dialect.deferSearchUpkeep(on)
  }

  async watchChanges(tenantId: string, on: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('archive_state')
        .values({ tenant_id: tenantId, archived_before: null, archiving: on ? 1 : 0 })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ archiving: on ? 1 : 0 }))
        .execute()
      await trx.deleteFrom('archive_changes').where('tenant_id', '=', tenantId).execute()
    })
    if (on) await this.dialect.awaitWritesInFlight()
  }

  async commitArchive(tenantId: string, commit: ArchiveCommit): Promise<boolean> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        // A write first, so SQLite takes its write lock now rather than failing to upgrade a stale read later.
        await this.setStatus(trx, tenantId, commit.batchIds, 'writing', { status: 'archived', archived_at: commit.at })
        // Deleting first: in PostgreSQL it waits for any write still holding one of the rows, whose
        // change is then logged and visible to the check below.
        const deleted = await this.deleteInteractions(trx, tenantId, commit.ids)
        if (deleted !== commit.ids.length) throw new Rollback()
        for (const ids of chunks(commit.ids, this.dialect.idLists.perStatement)) {
          const changed = await trx
            .selectFrom('archive_changes')
            .select('interaction_id')
            .where('tenant_id', '=', tenantId)
            .where(this.dialect.idLists.oneOf('interaction_id', ids))
            .limit(1)
            .execute()
          if (changed.length > 0) throw new Rollback()
        }
        await trx
          .insertInto('archive_state')
          .values({ tenant_id: tenantId, archived_before: commit.archivedBefore, archiving: 1 })
          .onConflict((oc) =>
            oc.column('tenant_id').doUpdateSet({
              archived_before: sql`CASE WHEN archive_state.archived_before IS NULL OR excluded.archived_before > archive_state.archived_before
                THEN excluded.archived_before ELSE archive_state.archived_before END`,
            }),
          )
          .execute()
        return true
      })
    } catch (error) {
      if (error instanceof Rollback) return false
      throw error
    }
  }

  /**
   * Deletes the interactions as a delete does: the search entries first, then the rows, then every
   * kind of data attached to them (tags, feedback, OTLP join rows). Answers how many rows went.
   */
  private async deleteInteractions(trx: Db, tenantId: string, ids: string[]): Promise<number> {
    let deleted = 0
    const { idLists } = this.dialect
    for await (const chunk of chunksTakingTurns(ids, idLists.perStatement)) {
      await this.dialect.removeFromSearch(trx, tenantId, chunk)
      const result = await trx.deleteFrom('interactions').where('tenant_id', '=', tenantId).where(idLists.oneOf('id', chunk)).executeTakeFirst()
      deleted += Number(result.numDeletedRows)
    }
    await nextTurn() // and between the last row delete and the attached data's first
    await eraseAttachedData(trx, { tenantId, interactionIds: ids }, idLists)
    return deleted
  }

  /** Takes interactions out of the metric rollups. */
  private async uncount(trx: Db, tenantId: string, sources: MetricSource[]): Promise<void> {
    if (sources.length === 0) return
    await this.dialect.applyRollupDeltas(trx, [{ tenantId, deltas: rollupDeltas(sources.map((source) => [source, -1] as const)) }])
  }

  /** Moves batches from one status to another; throws (rolling back) unless every one of them was in `from`. */
  private async setStatus(trx: Db, tenantId: string, ids: string[], from: ArchiveBatchStatus, set: Partial<ArchiveBatchRecord>): Promise<void> {
    let updated = 0n
    for (const chunk of chunks(ids)) {
      const result = await trx
        .updateTable('archive_batches')
        .set(set)
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', chunk)
        .where('status', '=', from)
        .executeTakeFirst()
      updated += result.numUpdatedRows
    }
    if (Number(updated) !== ids.length) throw new Error(`Archive batches changed status under us (expected ${ids.length} '${from}')`)
  }

  async rewriteBatch(tenantId: string, rewrite: ArchiveRewrite): Promise<{ restored: number; alreadyPresent: number }> {
    return this.db.transaction().execute(async (trx) => {
      await this.setStatus(trx, tenantId, [rewrite.oldBatchId], 'archived', { status: 'superseded' })
      if (rewrite.replacementBatchId) {
        await this.setStatus(trx, tenantId, [rewrite.replacementBatchId], 'writing', { status: 'archived', archived_at: rewrite.at })
      }
      await this.uncount(trx, tenantId, rewrite.erased)
      const restored = await this.restoreInteractions(trx, tenantId, rewrite.restore ?? [])
      if (rewrite.hold) {
        const { id, from, to, until } = rewrite.hold
        await trx.insertInto('archive_holds').values({ tenant_id: tenantId, id, from_ts: from, to_ts: to, until_ts: until }).execute()
      }
      return { restored, alreadyPresent: (rewrite.restore?.length ?? 0) - restored }
    })
  }

  /**
   * Inserts the interactions whose id is not hot already, with tags, feedback, validations and search entries. The
   * rollups count them already; an archived copy whose id is hot again (sent anew after archiving)
   * is dropped, and leaves the rollups.
   */
  private async restoreInteractions(trx: Db, tenantId: string, items: RestoredInteraction[]): Promise<number> {
    let restored = 0
    for await (const chunk of chunksTakingTurns(items, 200)) {
      const columns = chunk.map((item) => ({
        ...toInteractionColumns(tenantId, item.row, this.codec.encode(item.row.interaction)),
        feedback_kind: item.feedback_kind,
        feedback_quality_score: item.feedback_quality_score,
        validation_passed: item.validation_passed === null ? null : toFlag(item.validation_passed),
        validation_score: item.validation_score,
        validation_user_edited: item.validation_user_edited === null ? null : toFlag(item.validation_user_edited),
      }))
      const inserted = await trx
        .insertInto('interactions')
        .values(columns)
        .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
        .returning('id')
        .execute()
      const created = new Set(inserted.map((row) => row.id))
      await this.uncount(trx, tenantId, columns.filter((column) => !created.has(column.id)).map(metricSourceOf))
      if (created.size === 0) continue
      restored += created.size
      const fresh = chunk.filter((item) => created.has(item.row.interaction.id))
      const tags = fresh.flatMap((item) => [...new Set(item.row.interaction.tags ?? [])].map((tag) => ({ tenant_id: tenantId, interaction_id: item.row.interaction.id, tag })))
      if (tags.length > 0) await trx.insertInto('interaction_tags').values(tags).onConflict((oc) => oc.doNothing()).execute()
      const feedback = fresh.flatMap((item) =>
        item.feedback.map((f) => ({ tenant_id: tenantId, ...f, correction: f.correction === null ? null : JSON.stringify(f.correction), categories: JSON.stringify(f.categories) })),
      )
      for (const rows of chunks(feedback, 200)) await trx.insertInto('feedback').values(rows).onConflict((oc) => oc.doNothing()).execute()
      const validations = fresh.flatMap((item) => item.validations.map((v) => toValidationRow(tenantId, item.row.interaction.user_id ?? null, v)))
      for (const rows of chunks(validations, 200)) await trx.insertInto('validations').values(rows).onConflict((oc) => oc.doNothing()).execute()
      await this.dialect.addToSearch(trx, tenantId, fresh.map((item) => item.row.interaction))
    }
    return restored
  }

  async batches(tenantId: string, query: BatchQuery): Promise<{ batches: ArchiveBatchRecord[]; total: number }> {
    let base = this.db.selectFrom('archive_batches').where('tenant_id', '=', tenantId)
    if (query.statuses) base = base.where('status', 'in', query.statuses)
    if (query.type !== undefined) base = base.where('type', '=', query.type)
    if (query.overlapping?.from !== undefined) base = base.where('to_ts', '>=', query.overlapping.from)
    if (query.overlapping?.to !== undefined) base = base.where('from_ts', '<', query.overlapping.to)
    if (query.endsBefore !== undefined) base = base.where('to_ts', '<', query.endsBefore)
    if (query.undeleted) base = base.where('deleted_at', 'is', null)
    let rows = base.selectAll()
    if (query.order === 'time') rows = rows.orderBy('from_ts').orderBy('id')
    else if (query.order === 'latest') rows = rows.orderBy('to_ts', 'desc').orderBy('id', 'desc')
    else rows = rows.orderBy('created_at', 'desc').orderBy('id', 'desc')
    if (query.limit !== undefined) rows = rows.limit(query.limit).offset(query.offset ?? 0)
    const [found, count] = await Promise.all([
      rows.execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { batches: found.map(toBatchRecord), total: Number(count.n) }
  }

  async expire(tenantId: string, before: number): Promise<ArchiveBatchRecord[]> {
    const rows = await this.db
      .updateTable('archive_batches')
      .set({ status: 'expired' })
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'archived')
      .where('to_ts', '<', before)
      .returningAll()
      .execute()
    return rows.map(toBatchRecord)
  }

  async markDeleted(tenantId: string, ids: string[], at: string): Promise<void> {
    for (const chunk of chunks(ids)) {
      await this.db.updateTable('archive_batches').set({ deleted_at: at }).where('tenant_id', '=', tenantId).where('id', 'in', chunk).execute()
    }
  }

  async deleteBatches(tenantId: string, ids: string[]): Promise<void> {
    for (const chunk of chunks(ids)) {
      await this.db.deleteFrom('archive_batches').where('tenant_id', '=', tenantId).where('id', 'in', chunk).execute()
    }
  }

  async activeHolds(tenantId: string, now: number): Promise<TimeRange[]> {
    const rows = await this.db
      .selectFrom('archive_holds')
      .select(['from_ts', 'to_ts'])
      .where('tenant_id', '=', tenantId)
      .where('until_ts', '>', now)
      .orderBy('from_ts')
      .execute()
    return rows.map((row) => ({ from: Number(row.from_ts), to: Number(row.to_ts) }))
  }

  async stats(tenantId: string | undefined): Promise<ArchiveStatsRecord[]> {
    let query = this.db
      .selectFrom('archive_batches')
      .select((eb) => [
        'tenant_id',
        'type',
        eb.fn.countAll<number>().as('batches'),
        eb.fn.sum<number>('record_count').as('records'),
        eb.fn.sum<number>('raw_bytes').as('raw_bytes'),
        eb.fn.sum<number>('compressed_bytes').as('compressed_bytes'),
      ])
      .where('status', '=', 'archived')
      .groupBy(['tenant_id', 'type'])
      .orderBy('tenant_id')
      .orderBy('type')
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const rows = await query.execute()
    return rows.map((row) => ({
      tenant_id: row.tenant_id,
      type: row.type,
      batches: Number(row.batches),
      records: Number(row.records),
      raw_bytes: Number(row.raw_bytes),
      compressed_bytes: Number(row.compressed_bytes),
    }))
  }
}

const toBatchRecord = (row: Database['archive_batches']): ArchiveBatchRecord => ({
  ...row,
  status: row.status as ArchiveBatchStatus,
  part: Number(row.part),
  record_count: Number(row.record_count),
  raw_bytes: Number(row.raw_bytes),
  compressed_bytes: Number(row.compressed_bytes),
  from_ts: Number(row.from_ts),
  to_ts: Number(row.to_ts),
})
