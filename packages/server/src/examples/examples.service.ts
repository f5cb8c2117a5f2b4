import { ExampleInput, type Example, type ExampleList, type ExampleListQuery } from '@interlog/schema'
import type { AuditService } from '../audit/audit.service.js'
import type { AuthContext } from '../auth/auth-context.js'
import { visibilityOf, visibleInteraction } from '../auth/visibility.js'
import { NotFoundError, ValidationError, type FieldIssue } from '../errors/errors.js'
import { parseOrThrow } from '../errors/zod-issues.js'
import { redactFields } from '../privacy/redact-fields.js'
import type { TenantPrivacy } from '../privacy/tenant-privacy.js'
import type { Clock, IdGenerator } from '../runtime/clock.js'
import type { ExampleStore, InteractionStore } from '../store/store.js'
import { exampleSourceOf } from './example-source.js'

const present = (value: unknown) => value !== undefined && value !== null

/**
 * Curated examples: input/output pairs for fine-tuning, copied from an interaction or sent raw. Each
 * keeps the end user of its source (or of the key that sent it), so a user's erasure removes it; it
 * outlives its source interaction, detached.
 */
export class ExamplesService {
  constructor(
    private readonly examples: ExampleStore,
    private readonly interactions: InteractionStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly privacy: Pick<TenantPrivacy, 'admit'>,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  /** What the client sends (input, output, metadata) is redacted like ingested data; refused while collection is off. */
  async create(auth: AuthContext, body: unknown): Promise<Example> {
    const input = parseOrThrow(ExampleInput, body, 'example')
    redactFields(await this.privacy.admit(auth.tenantId), input, ['input', 'output', 'metadata'])
    const source = input.interaction_id === undefined ? undefined : await visibleInteraction(this.interactions, auth, input.interaction_id)
    const copied = source ? exampleSourceOf(source) : { input: undefined, output: undefined }
    const example: Example = {
      id: this.ids.next(),
      interaction_id: input.interaction_id ?? null,
      user_id: source ? (source.user_id ?? null) : (auth.userId ?? null),
      input: present(input.input) ? input.input : copied.input,
      output: present(input.output) ? input.output : copied.output,
      quality_score: input.quality_score ?? null,
      type: input.type ?? source?.type ?? null,
      category: input.category ?? source?.category ?? null,
      tags: [...new Set(input.tags ?? [])],
      metadata: input.metadata ?? null,
      usage_count: 0,
      last_used_at: null,
      created_at: this.clock.now().toISOString(),
    }
    const missing: FieldIssue[] = (['input', 'output'] as const)
      .filter((field) => !present(example[field]))
      .map((field) => ({
        path: field,
        code: 'required',
        message: source ? `the interaction has no ${field} to copy; send ${field}` : `required without interaction_id`,
      }))
    if (missing.length > 0) throw new ValidationError(`Invalid example: ${missing.map((m) => `${m.path}: ${m.message}`).join('; ')}`, missing)
    // The source may be deleted in between; the store checks again inside its transaction.
    if (!(await this.examples.insert(auth.tenantId, example, visibilityOf(auth)))) throw new NotFoundError(`Interaction '${input.interaction_id}'`)
    return example
  }

  async get(auth: AuthContext, id: string): Promise<Example> {
    const found = await this.examples.get(auth.tenantId, id, visibilityOf(auth))
    if (!found) throw new NotFoundError(`Example '${id}'`)
    return found
  }

  async list(auth: AuthContext, query: ExampleListQuery): Promise<ExampleList> {
    const { limit, offset, ...filter } = query
    const { examples, total } = await this.examples.list(auth.tenantId, { ...filter, ...this.userFilter(auth) }, { limit, offset })
    return { examples, total_count: total, returned_count: examples.length, limit, offset }
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    if (!(await this.examples.delete(auth.tenantId, id, visibilityOf(auth)))) throw new NotFoundError(`Example '${id}'`)
    await this.audit.record(auth.tenantId, { actor: auth, action: 'example.delete', target: { type: 'example', id } })
  }

  /**
   * Counts one use of each example (an id listed twice counts once): the dataset export calls this each
   * time it writes examples. Answers how many of the ids were found.
   */
  recordUsage(tenantId: string, ids: Iterable<string>): Promise<number> {
    return this.examples.incrementUsage(tenantId, ids, this.clock.now().toISOString())
  }

  private userFilter(auth: AuthContext): { user_id?: string } {
    return auth.userId === undefined ? {} : { user_id: auth.userId }
  }
}
