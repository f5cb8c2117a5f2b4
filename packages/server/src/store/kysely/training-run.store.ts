import type { TrainingRun } from '@interlog/schema'
import type { Kysely } from 'kysely'
import type { TrainingRunStore } from '../store.js'
import type { Database } from './database.js'
import { fromJsonText, toJsonText } from './json-text.js'

type Db = Kysely<Database>
type TrainingRunRow = Database['training_runs']

const nullableNumber = (value: number | null) => (value === null ? null : Number(value))

const toTrainingRun = (row: TrainingRunRow): TrainingRun => ({
  id: row.id,
  model_version: row.model_version,
  base_model: row.base_model,
  date: row.date,
  dataset_size: Number(row.dataset_size),
  accuracy: nullableNumber(row.accuracy),
  validation_rate: nullableNumber(row.validation_rate),
  cost_usd: nullableNumber(row.cost_usd),
  notes: row.notes,
  metadata: fromJsonText<Record<string, unknown>>(row.metadata),
  created_at: row.created_at,
})

/** Training runs a tenant recorded: identical in both dialects. */
export class KyselyTrainingRunStore implements TrainingRunStore {
  constructor(private readonly db: Db) {}

  async insert(tenantId: string, run: TrainingRun): Promise<void> {
    await this.db
      .insertInto('training_runs')
      .values({ tenant_id: tenantId, ...run, metadata: toJsonText(run.metadata) })
      .execute()
  }

  async list(tenantId: string, filter: { model_version?: string }, page: { limit: number; offset: number }): Promise<{ runs: TrainingRun[]; total: number }> {
    let base = this.db.selectFrom('training_runs').where('tenant_id', '=', tenantId)
    if (filter.model_version !== undefined) base = base.where('model_version', '=', filter.model_version)
    const [rows, counted] = await Promise.all([
      base.selectAll().orderBy('date', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { runs: rows.map(toTrainingRun), total: Number(counted.n) }
  }
}
