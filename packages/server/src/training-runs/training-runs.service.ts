import { TrainingRunInput, type TrainingRun, type TrainingRunList, type TrainingRunListQuery } from '@interlog/schema'
import type { AuthContext } from '../auth/auth-context.js'
import { ForbiddenError } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { TrainingRunStore } from '../store/store.js'

/** Fine-tuning runs a tenant records, to follow model versions against the data they were trained on. */
export class TrainingRunsService {
  constructor(
    private readonly runs: TrainingRunStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(auth: AuthContext, body: unknown): Promise<TrainingRun> {
    if (auth.userId !== undefined) throw new ForbiddenError('Training runs belong to the whole tenant; a key bound to an end user cannot record them')
    const input = parseOrThrow(TrainingRunInput, body, 'training run')
    const now = this.clock.now().toISOString()
    const run: TrainingRun = {
      id: this.ids.next(),
      model_version: input.model_version,
      base_model: input.base_model ?? null,
      // One form (UTC, milliseconds) whatever was sent, so runs order by date as text.
      date: input.date === undefined ? now : new Date(input.date).toISOString(),
      dataset_size: input.dataset_size,
      accuracy: input.accuracy ?? null,
      validation_rate: input.validation_rate ?? null,
      cost_usd: input.cost_usd ?? null,
      notes: input.notes ?? null,
      metadata: input.metadata ?? null,
      created_at: now,
    }
    await this.runs.insert(auth.tenantId, run)
    return run
  }

  async list(auth: AuthContext, query: TrainingRunListQuery): Promise<TrainingRunList> {
    const { limit, offset, ...filter } = query
    const { runs, total } = await this.runs.list(auth.tenantId, filter, { limit, offset })
    return { training_runs: runs, total_count: total, returned_count: runs.length, limit, offset }
  }
}
